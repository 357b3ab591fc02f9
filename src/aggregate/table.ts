// Records by stable id. Ids are given in ascending order and never reused, so a record that a
// budget evicted leaves a hole, never a shifted index: no reference can come to name another
// record (what `ports[id - 1]` would do once the first ports are gone).

export class IdTable<T extends { id: number }> {
  private readonly byId = new Map<number, T>();
  /** The id the next record gets. */
  nextId = 1;

  static of<T extends { id: number }>(list: readonly T[]): IdTable<T> {
    const t = new IdTable<T>();
    for (const r of list.slice().sort((a, b) => a.id - b.id)) t.add(r);
    return t;
  }

  get(id: number): T | undefined {
    return this.byId.get(id);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** Adds a record whose id was given by nextId (or a higher one, when restoring). */
  add(r: T): void {
    if (r.id < this.nextId) throw new RangeError(`id ${r.id} was already given`);
    this.byId.set(r.id, r);
    this.nextId = r.id + 1;
  }

  delete(id: number): boolean {
    return this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** In id order (insertion order is id order). */
  values(): IterableIterator<T> {
    return this.byId.values();
  }

  /** The records in id order, as a new array. */
  list(): T[] {
    return [...this.byId.values()];
  }
}
