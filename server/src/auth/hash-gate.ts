import { AppError } from '../app-error.js';

/**
 * Caps how many password hashes (scrypt, ~50 ms and 32 MiB each) run at once. scrypt runs on
 * libuv's thread pool, 4 threads by default, which compression, file reads and DNS share: a
 * burst of sign-ins left them none. Two at a time leaves the pool half free; a short queue
 * absorbs a team signing in together, and past it the answer is a quick `rate_limited` rather
 * than a queue that grows without bound.
 */
export class HashGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly observers = new Set<(running: number) => void>();

  constructor(
    private readonly maxRunning: number,
    private readonly maxWaiting: number,
  ) {}

  /** Calls `observer` with the number running whenever a task starts or a slot frees (tests count the peak); returns its removal. */
  observe(observer: (running: number) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private onRunning(running: number): void {
    for (const observer of this.observers) observer(running);
  }

  /** Runs `task` when a slot is free; throws `rate_limited` at once when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new AppError('rate_limited', 'The server is busy checking other passwords; try again in a second.', undefined, 1_000);
      }
      // The slot is handed over by `release`, so `running` never drops in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    this.onRunning(this.running);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else {
      this.running -= 1;
      this.onRunning(this.running);
    }
  }
}
