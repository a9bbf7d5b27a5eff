// Where the process stands: serving, or shutting down (health answers 503 and new connections are closed).
export interface Lifecycle {
  readonly stopping: boolean;
  beginStopping(): void;
}

export function createLifecycle(): Lifecycle {
  let stopping = false;
  return {
    get stopping() {
      return stopping;
    },
    beginStopping() {
      stopping = true;
    },
  };
}
