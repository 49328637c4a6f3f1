/**
 * `python -X importtime` output → a start-up profile: top-level imports folded by package by
 * cumulative time, modules by self time, nested and non-matching lines handled. The sample is
 * verbatim CPython 3.11 output of `python3 -X importtime -c "import asyncio, json, logging"`
 * (some nested lines left out), with a log line of the server in the middle.
 */
import { describe, expect, it } from 'vitest';
import { parseImportTimeLines, pythonImports } from '../../src/profile/pythonImports.js';

const STDERR = `import time: self [us] | cumulative | imported package
import time:       186 |        186 |   _io
import time:        34 |         34 |   marshal
import time:       374 |        374 |   posix
import time:       336 |        929 | _frozen_importlib_external
import time:       103 |        103 |   time
import time:       113 |        216 | zipimport
import time:        38 |         38 |     _codecs
import time:       300 |        338 |   codecs
import time:       442 |        442 |   encodings.aliases
import time:       716 |       1495 | encodings
import time:       219 |        219 | encodings.utf_8
import time:        99 |         99 | _signal
import time:        32 |         32 |     _abc
import time:       114 |        145 |   abc
import time:       174 |        319 | io
import time:       309 |        309 |   _distutils_hack
import time:        90 |         90 |   sitecustomize
import time:        73 |         73 |   usercustomize
import time:      1501 |      36140 | site
INFO:     Loading configuration from /etc/weather/config.toml
import time:      1112 |       1112 |       concurrent
import time:       490 |        490 |                 token
import time:      2392 |       2882 |               tokenize
import time:       586 |       3467 |             linecache
import time:      1601 |       1601 |             textwrap
import time:      1695 |       6762 |           traceback
import time:        65 |         65 |             _string
import time:       973 |       1037 |           string
import time:      4041 |      11839 |         logging
import time:      1688 |      13527 |       concurrent.futures._base
import time:       782 |      15420 |     concurrent.futures
import time:       674 |        674 |       _heapq
import time:      1597 |       2270 |     heapq
import time:      1327 |       1327 |       _socket
import time:       585 |        585 |         select
import time:      1279 |       1863 |       selectors
import time:       980 |        980 |       array
import time:       627 |        627 |             _opcode
import time:      3547 |       4173 |           opcode
import time:      2813 |       6985 |         dis
import time:       118 |        118 |         importlib.machinery
import time:      3545 |      14769 |       inspect
import time:       795 |        795 |   asyncio.timeouts
import time:       316 |        316 |   asyncio.threads
import time:       547 |        547 |     asyncio.base_subprocess
import time:      1649 |       1649 |     asyncio.selector_events
import time:      1534 |       3729 |   asyncio.unix_events
import time:      4876 |      95700 | asyncio
import time:       308 |        308 |       _json
import time:       566 |        873 |     json.scanner
import time:       719 |       1591 |   json.decoder
import time:       528 |        528 |   json.encoder
import time:       322 |       2441 | json
`;

describe('parseImportTimeLines', () => {
  const lines = parseImportTimeLines(STDERR);

  it('reads every import line with its nesting level, skipping the header and other output', () => {
    expect(lines).toHaveLength(52);
    expect(lines[0]).toEqual({ name: '_io', level: 1, selfUs: 186, cumulativeUs: 186 });
    expect(lines.find((l) => l.name === 'token')).toEqual({ name: 'token', level: 8, selfUs: 490, cumulativeUs: 490 });
    expect(lines.at(-1)).toEqual({ name: 'json', level: 0, selfUs: 322, cumulativeUs: 2441 });
  });

  it('accepts CRLF line ends', () => {
    expect(parseImportTimeLines(STDERR.replace(/\n/g, '\r\n'))).toEqual(lines);
  });
});

describe('pythonImports', () => {
  const st = pythonImports(STDERR, 180)!;

  it('covers the cumulative time of the top-level imports, all of it import time', () => {
    // 929 + 216 + 1495 + 219 + 99 + 319 + 36140 + 95700 + 2441 µs
    expect(st.coveredMs).toBe(137.56);
    expect(st.importMs).toBe(137.56);
    expect(st).toMatchObject({ language: 'python', source: 'python -X importtime', readyMs: 180 });
  });

  it('ranks top-level packages by cumulative time, folded by their first dotted name', () => {
    expect(st.packages.slice(0, 4)).toEqual([
      { name: 'asyncio', ms: 95.7, pct: 69.6 },
      { name: 'site', ms: 36.14, pct: 26.3 },
      { name: 'json', ms: 2.44, pct: 1.8 },
      { name: 'encodings', ms: 1.71, pct: 1.2 }, // encodings + encodings.utf_8
    ]);
    // Nested imports (logging under asyncio) are inside their parent's time, not packages of their own.
    expect(st.packages.map((p) => p.name)).not.toContain('logging');
  });

  it('lists the ten modules with the most self time, nested ones included', () => {
    expect(st.modules).toHaveLength(10);
    expect(st.modules.slice(0, 3).map((m) => [m.name, m.ms])).toEqual([['asyncio', 4.88], ['logging', 4.04], ['opcode', 3.55]]);
  });

  it('is null when stderr holds no import line', () => {
    expect(pythonImports('Traceback (most recent call last):\n  File "server.py"\n', 10)).toBeNull();
    expect(pythonImports('', 10)).toBeNull();
  });
});
