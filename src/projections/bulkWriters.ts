// Rows a bulk build (bulkRebuild.ts) writes many to a statement: one INSERT of `chunk` rows instead
// of `chunk` INSERTs of one, in the order they were pushed (so their rowids are the ones the
// projection's own INSERTs would have given them). Only for tables nothing reads until flush().
import type Database from "better-sqlite3";

export interface RowBuffer {
  /** One row's values, in the columns' order. */
  push(...values: unknown[]): void;
  /** Writes every buffered row (before anything reads or changes the table). */
  flush(): void;
  readonly pending: number;
}

export function multiRowInserter(db: Database.Database, insertInto: string, columns: readonly string[], chunk = 200): RowBuffer {
  const width = columns.length;
  const row = `(${columns.map(() => "?").join(", ")})`;
  const statements = new Map<number, Database.Statement>();
  const statementFor = (rows: number) => {
    let statement = statements.get(rows);
    if (!statement) {
      statement = db.prepare(`${insertInto} (${columns.join(", ")}) VALUES ${Array.from({ length: rows }, () => row).join(", ")}`);
      statements.set(rows, statement);
    }
    return statement;
  };
  const full = statementFor(chunk);
  const values: unknown[] = [];
  let rows = 0;
  const buffer: RowBuffer = {
    push(...row: unknown[]) {
      for (let i = 0; i < width; i++) values.push(row[i]);
      if (++rows === chunk) {
        full.run(values);
        values.length = 0;
        rows = 0;
      }
    },
    flush() {
      if (rows === 0) return;
      statementFor(rows).run(values);
      values.length = 0;
      rows = 0;
    },
    get pending() {
      return rows;
    },
  };
  return buffer;
}
