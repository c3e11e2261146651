import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * Takes the reply over as a server-sent event stream (the device's and management's): the
 * headers, with proxies told not to buffer, and a first `retry:` line so a dropped browser or
 * agent reconnects after `retryMs`. The caller writes events to the returned response and ends it.
 */
export function startEventStream(reply: FastifyReply, retryMs: number): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Reverse proxies (nginx) must not buffer the stream.
    'x-accel-buffering': 'no',
  });
  res.write(`retry: ${retryMs}\n: connected\n\n`);
  return res;
}
