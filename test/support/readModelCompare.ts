// Two read-model files compared table by table, row by row (moved here from
// test/projections/rebuildEveryTable.test.ts so the online rebuild test can use it too).
import type Database from "better-sqlite3";

export interface Compared {
  /** type/name/table of every table and index, in both files. */
  schema: { live: string[]; rebuilt: string[] };
  /** Rows per table (the live file's). */
  counts: Record<string, number>;
  /** The first few rows that differ, per table; empty when the files are equal. */
  differences: { table: string; index: number; live: unknown; rebuilt: unknown }[];
  /**
   * The same, with each table's rows in rowid order: the order the projection inserted them, which
   * is what a read without ORDER BY (or ORDER BY rowid, as a message's reactions are read) sees.
   */
  orderDifferences: { table: string; index: number; live: unknown; rebuilt: unknown }[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function schemaOf(db: Database.Database): string[] {
  return db
    .prepare<[], { type: string; name: string; tbl_name: string }>("SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY type, name")
    .all()
    .map((row) => `${row.type} ${row.name} on ${row.tbl_name}`);
}

/** Every row of the table (its values in column order), ordered by all its columns, or in rowid order. */
function rowsOf(db: Database.Database, table: string, order: "columns" | "rowid" = "columns"): unknown[][] {
  const columns = db.prepare<[string], { name: string }>("SELECT name FROM pragma_table_info(?)").pluck().all(table) as unknown as string[];
  const by = order === "rowid" ? "rowid" : columns.map(quote).join(", ");
  return db.prepare(`SELECT * FROM ${quote(table)} ORDER BY ${by}`).raw().all() as unknown[][];
}

function sameRow(a: unknown[] | undefined, b: unknown[] | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return a === b;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Every table of both files, row by row. Nothing is left out: the bookkeeping (checkpoint,
 * projection_status) must agree too, since both runs end at the same last event of the log, and
 * projection_skips is empty in both (nobody skipped anything).
 */
export function compareEveryTable(live: Database.Database, rebuilt: Database.Database): Compared {
  const tables = live.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const counts: Record<string, number> = {};
  const differ = (order: "columns" | "rowid") => {
    const differences: Compared["differences"] = [];
    for (const table of tables) {
      const liveRows = rowsOf(live, table, order);
      const rebuiltRows = rebuilt.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) ? rowsOf(rebuilt, table, order) : [];
      counts[table] = liveRows.length;
      let shown = 0;
      for (let index = 0; index < Math.max(liveRows.length, rebuiltRows.length) && shown < 3; index++) {
        if (sameRow(liveRows[index], rebuiltRows[index])) continue;
        differences.push({ table, index, live: liveRows[index] ?? "(no row)", rebuilt: rebuiltRows[index] ?? "(no row)" });
        shown += 1;
      }
    }
    return differences;
  };
  const differences = differ("columns");
  const orderDifferences = differ("rowid");
  return { schema: { live: schemaOf(live), rebuilt: schemaOf(rebuilt) }, counts, differences, orderDifferences };
}

