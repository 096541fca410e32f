import { inWorker, sharedModules, workerModule } from './worker-modules';

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

// each file takes aws-cdk-lib, constructs, cdk-nag and cloudformation-diff from its worker (see environment.js)
if (inWorker()) {
  for (const id of sharedModules()) {
    jest.mock(id, () => workerModule(id));
  }
}
