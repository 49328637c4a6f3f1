// The "real server" of the tree: says ready, echoes stdin, and exits on stdin EOF, except in
// shell-only mode where its stdin is /dev/null and it must stay alive until the group is killed.
if (process.env.TREE_MODE === 'retitled') process.title = 'renamed-server';
process.stdout.write('ready\n');
process.stdin.on('data', (d) => process.stdout.write(d));
process.stdin.on('end', () => {
  if (process.env.TREE_MODE !== 'shell-only') process.exit(0);
});
setInterval(() => {}, 1 << 30);
