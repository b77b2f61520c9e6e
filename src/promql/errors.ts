/**
 * The evaluator's two failure kinds. A PromqlError is the query's fault (what Prometheus answers
 * with a 400 or 422); NotSupportedError is ours: a construct this evaluator does not handle yet,
 * reported instead of an answer that could be wrong.
 */
export class PromqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromqlError';
  }
}

export class NotSupportedError extends PromqlError {
  constructor(what: string) {
    super(`not supported yet: ${what}`);
    this.name = 'NotSupportedError';
  }
}

export const notSupported = (what: string): never => {
  throw new NotSupportedError(what);
};

export const promqlError = (message: string): never => {
  throw new PromqlError(message);
};
