import type { ServerResponse } from 'node:http';
import type { ProblemResponse } from '@llmguard/core';

/** Sends a refusal or error problem; if the head already went out, only ends the response. */
export function sendProblem(res: ServerResponse, problem: ProblemResponse): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = problem.status;
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.setHeader('content-length', Buffer.byteLength(problem.body));
  res.end(problem.body);
}
