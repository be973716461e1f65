/**
 * Typed errors carrying an exit code. Only src/cli.ts turns them into output and an exit status;
 * everything below it throws.
 */
export class TbError extends Error {
  readonly exitCode: number;
  /** Optional second line shown after the message, e.g. a "did you mean" or a list of candidates. */
  readonly hint?: string;
  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Wrong usage of the command line: exit 2. */
export class UsageError extends TbError {
  constructor(message: string, hint?: string) {
    super(message, 2, hint);
  }
}

/** A referenced record does not exist: exit 1. */
export class NotFoundError extends TbError {
  constructor(message: string, hint?: string) {
    super(message, 1, hint);
  }
}

/** A reference matches several records: exit 1, hint lists candidates. */
export class AmbiguousError extends TbError {
  readonly candidates: string[];
  constructor(message: string, candidates: string[]) {
    super(message, 1, `candidates: ${candidates.join(', ')}`);
    this.candidates = candidates;
  }
}

/** Invalid data in a file or in input the user gave: exit 1. */
export class DataError extends TbError {
  readonly path?: string;
  readonly line?: number;
  constructor(message: string, where?: { path?: string; line?: number }, hint?: string) {
    super(message, 1, hint);
    this.path = where?.path;
    this.line = where?.line;
  }
}

/** A query that does not parse or names an unknown field: exit 2 (it is wrong usage). */
export class QueryError extends TbError {
  /** 1-based column in the query string, when known. */
  readonly column?: number;
  readonly query?: string;
  constructor(message: string, opts: { column?: number; query?: string; hint?: string } = {}) {
    super(message, 2, opts.hint);
    this.column = opts.column;
    this.query = opts.query;
  }
}

/** A git operation failed or conflicted: exit 1. */
export class GitError extends TbError {
  constructor(message: string, hint?: string) {
    super(message, 1, hint);
  }
}

/** No touchbase.yaml found. */
export class NoRootError extends TbError {
  constructor(message: string) {
    super(message, 1, "run 'tb init' to create a touchbase directory, or pass --dir");
  }
}
