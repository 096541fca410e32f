import * as http from 'http';
import { AddressInfo } from 'net';

/** A request CloudFormation's presigned response URL received. */
export interface ReceivedRequest {
  readonly method?: string;
  readonly contentType?: string;
  readonly body: string;
}

/**
 * Stands in for CloudFormation's presigned response URL: a server on the loopback address for
 * the time `send(url)` takes, which returns every request it received.
 */
export async function receivedAtResponseUrl(send: (url: string) => Promise<void>): Promise<ReceivedRequest[]> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      received.push({ method: request.method, contentType: request.headers['content-type'], body });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}/response?X-Amz-Signature=abc`);
    return received;
  } finally {
    server.close();
  }
}
