// aws-local-stepfunctions 3 uses Promise.withResolvers, which Node gains in version 22
if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

// Every app of the tests records no stack trace where each construct was made: the templates are
// the same, and capturing (through jest's source maps) was a tenth of a suite's time.
process.env.CDK_CONTEXT_JSON = JSON.stringify({ ...JSON.parse(process.env.CDK_CONTEXT_JSON ?? '{}'), 'aws:cdk:disable-creation-stack-traces': true, 'aws:cdk:disable-stack-trace': true });
