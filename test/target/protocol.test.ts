import { describe, expect, it } from 'vitest';
import * as v2 from '@modelcontextprotocol/server';
import * as v1 from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_REQUEST_TIMEOUT_MSEC } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CLIENT_REQUEST_METHODS, ERROR_CODES, LEGACY_LATEST_VERSION, LEGACY_VERSIONS, META_KEYS, MODERN_VERSION, SDK_DEFAULT_REQUEST_TIMEOUT_MS, isModernVersion,
} from '../../src/target/protocol.js';

// src/target/protocol.ts spells every constant itself (SDK v1 does not have the 2026-07-28 ones,
// and loading either SDK at run time costs 120-130 ms); this test keeps them equal to the SDKs'.
describe('protocol constants', () => {
  it('the modern _meta keys are the ones SDK v2 uses', () => {
    expect(META_KEYS.protocolVersion).toBe(v2.PROTOCOL_VERSION_META_KEY);
    expect(META_KEYS.clientInfo).toBe(v2.CLIENT_INFO_META_KEY);
    expect(META_KEYS.clientCapabilities).toBe(v2.CLIENT_CAPABILITIES_META_KEY);
    expect(META_KEYS.serverInfo).toBe(v2.SERVER_INFO_META_KEY);
  });

  it('the unsupported-version error code is SDK v2 ProtocolErrorCode.UnsupportedProtocolVersion', () => {
    expect(ERROR_CODES.unsupportedProtocolVersion).toBe(v2.ProtocolErrorCode.UnsupportedProtocolVersion);
  });

  it('the JSON-RPC error codes and the default request timeout are SDK v1\'s', () => {
    expect(ERROR_CODES).toMatchObject({
      parseError: v1.ErrorCode.ParseError,
      invalidRequest: v1.ErrorCode.InvalidRequest,
      methodNotFound: v1.ErrorCode.MethodNotFound,
      invalidParams: v1.ErrorCode.InvalidParams,
      internalError: v1.ErrorCode.InternalError,
    });
    expect(SDK_DEFAULT_REQUEST_TIMEOUT_MS).toBe(DEFAULT_REQUEST_TIMEOUT_MSEC);
  });

  it('legacy versions are SDK v1\'s and SDK v2 agrees on the newest legacy version', () => {
    expect(LEGACY_LATEST_VERSION).toBe(v1.LATEST_PROTOCOL_VERSION);
    expect(LEGACY_VERSIONS).toEqual(v1.SUPPORTED_PROTOCOL_VERSIONS);
    expect(v2.SUPPORTED_PROTOCOL_VERSIONS).toContain(LEGACY_LATEST_VERSION);
  });

  it('the client request methods are SDK v1\'s ClientRequestSchema plus the 2026-07-28 ones', () => {
    const v1Methods = v1.ClientRequestSchema.options.map((o) => o.shape.method.value as string);
    expect([...CLIENT_REQUEST_METHODS].sort()).toEqual([...v1Methods, 'server/discover', 'subscriptions/listen'].sort());
  });

  it('2026-07-28 is modern, every legacy version is not', () => {
    expect(MODERN_VERSION).toBe('2026-07-28');
    expect(isModernVersion(MODERN_VERSION)).toBe(true);
    for (const v of LEGACY_VERSIONS) expect(isModernVersion(v)).toBe(false);
  });
});
