import * as http from 'http';
import { AddressInfo } from 'net';
import { answerOf, CustomResourceEvent, putResponse } from '../../../constructs/core/custom-resource-response';
import { receivedAtResponseUrl } from '../../support/response-url';

const event = (physicalId?: string): CustomResourceEvent<object> => ({
  RequestType: physicalId ? 'Update' : 'Create', ResponseURL: 'https://example.invalid/', ResourceProperties: {},
  StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/sbx/1', RequestId: 'request-1', LogicalResourceId: 'Cleanup',
  ...(physicalId ? { PhysicalResourceId: physicalId } : {}),
});

describe('a custom resource\'s answer', () => {
  test('names the request it answers, and a new resource by the id given', () => {
    expect(answerOf(event(), 's3://bucket/sandboxes/churn/', 'FAILED', 'why')).toEqual({
      Status: 'FAILED', Reason: 'why', PhysicalResourceId: 's3://bucket/sandboxes/churn/',
      StackId: 'arn:aws:cloudformation:eu-west-1:111122223333:stack/sbx/1', RequestId: 'request-1', LogicalResourceId: 'Cleanup',
    });
  });

  test('keeps the id a resource was created with, so an update is never taken for a replacement', () => {
    expect(answerOf(event('s3://bucket/sandboxes/old/'), 's3://bucket/sandboxes/new/', 'SUCCESS')).toMatchObject({ PhysicalResourceId: 's3://bucket/sandboxes/old/' });
  });

  test('is PUT to the presigned URL as JSON, with the empty content type it was signed for', async () => {
    const answer = answerOf(event(), 'id', 'SUCCESS');
    expect(await receivedAtResponseUrl((url) => putResponse(url, answer))).toEqual([{ method: 'PUT', contentType: '', body: JSON.stringify(answer) }]);
  });

  test('fails, saying what CloudFormation said, when the URL refuses it', async () => {
    const server = http.createServer((_, response) => { response.statusCode = 403; response.end('SignatureDoesNotMatch'); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await expect(putResponse(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, answerOf(event(), 'id', 'SUCCESS')))
        .rejects.toThrow('CloudFormation refused the response: HTTP 403 SignatureDoesNotMatch');
    } finally {
      server.close();
    }
  });
});
