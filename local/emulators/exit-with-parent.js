// Preloaded into each emulator (node -r): the emulator exits when the process that started it is gone.
// The Java side keeps the write end of the emulator's stdin pipe open and never writes to it; whatever way the
// JVM ends (a stop, a crash, SIGKILL), the kernel closes that end and stdin reads end-of-file. Without this, an
// emulator outlives a killed stack and keeps its LevelDB lock on the data folder, and the next start fails.
'use strict';
const fs = require('fs');
let piped = false;
try {
  piped = fs.fstatSync(0).isFIFO();
} catch (e) {
  piped = false;
}
if (piped) {
  const exit = () => process.exit(0);
  process.stdin.on('end', exit);
  process.stdin.on('close', exit);
  process.stdin.on('error', exit);
  process.stdin.on('data', () => {});
  process.stdin.resume();
}
