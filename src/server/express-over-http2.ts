import { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import express, { type Express } from 'express';

/**
 * An Express app that takes `node:http2`'s compatibility request and response. Express gives every
 * request its own prototype, built on `http.IncomingMessage`, which would hide the HTTP/2 objects'
 * accessors (`headers`, `url`, `stream`); this app's prototypes are Express's methods laid over
 * the HTTP/2 classes instead. Routes are shared with the HTTP/1.1 app through one Router, so both
 * versions run the same handlers.
 */
export function expressOverHttp2(): Express {
  const app = express();
  const bridge = (base: object, expressProto: object): object =>
    Object.create(base, Object.getOwnPropertyDescriptors(expressProto)) as object;
  const ownApp = { app: { configurable: true, enumerable: true, writable: true, value: app } };
  app.request = Object.create(
    bridge(Http2ServerRequest.prototype, Object.getPrototypeOf(app.request) as object),
    ownApp,
  ) as Express['request'];
  app.response = Object.create(
    bridge(Http2ServerResponse.prototype, Object.getPrototypeOf(app.response) as object),
    ownApp,
  ) as Express['response'];
  app.use((req, _res, next) => {
    // HTTP/2 needs no Content-Length for a body (the stream's end delimits it), but Express's body
    // parser looks for one (or for chunked coding) before reading. A stream that did not end with
    // its headers has a body: say so in the way the parser understands.
    const stream = (req as unknown as Http2ServerRequest).stream;
    if (req.headers['content-length'] === undefined && !stream.endAfterHeaders)
      req.headers['transfer-encoding'] = 'chunked';
    next();
  });
  return app;
}
