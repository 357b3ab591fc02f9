// An event loop: one FIFO of tasks, one task per host macrotask. Running each task in its own
// host macrotask (setImmediate in Node) is what keeps a handler that re-posts forever from
// starving the host's timers.

type Task = () => void;

const hostSchedule: (f: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (f) => (globalThis as unknown as { setImmediate: (f: () => void) => void }).setImmediate(f)
    : (f) => setTimeout(f, 0);

export class EventLoop {
  private tasks: (Task | undefined)[] = [];
  private head = 0;
  private pending = false;
  /** Exceptions thrown by tasks (listener exceptions are reported by the realm instead). */
  onError: (err: unknown) => void = (err) => {
    throw err;
  };

  get size(): number {
    return this.tasks.length - this.head;
  }

  queueTask(task: Task): void {
    this.tasks.push(task);
    if (!this.pending) {
      this.pending = true;
      hostSchedule(this.runOne);
    }
  }

  private runOne = (): void => {
    this.pending = false;
    const task = this.tasks[this.head];
    this.tasks[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.tasks.length) {
      this.tasks = this.tasks.slice(this.head);
      this.head = 0;
    }
    if (this.size > 0) {
      this.pending = true;
      hostSchedule(this.runOne);
    }
    if (task) {
      try {
        task();
      } catch (err) {
        this.onError(err);
      }
    }
  };
}
