'use strict';
// Loaded with `node --require` in front of every emulator (EmulatorProcess.node). The emulators trust whoever reaches
// them: no signatures are checked and dynalite and kinesalite answer CORS for any origin, so a web page the developer
// has open could read and write the local tables and streams. Two guards close that:
// - every server listens on the loopback address, whatever host the emulator asks for (kinesis-local asks for all);
// - an HTTP request that carries an Origin header (only a browser sends one; the AWS SDKs never do) is refused
//   before the emulator sees it, preflights included, and without CORS headers.
const net = require('net');
const http = require('http');

const LOOPBACK = '127.0.0.1';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && first.path === undefined) {
    args[0] = Object.assign({}, first, { host: LOOPBACK });
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] === 'string') args[1] = LOOPBACK;
    else args.splice(1, 0, LOOPBACK);
  }
  return listen.apply(this, args);
};

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, response) {
  if (event === 'request' && request.headers.origin !== undefined) {
    response.writeHead(403, { 'Content-Type': 'application/json', 'Connection': 'close' });
    response.end('{"__type":"AccessDeniedException","message":"cross-origin requests are refused"}');
    return true;
  }
  return emit.apply(this, arguments);
};
