/**
 * Checks Athena (Hive DDL) column types: primitives such as `bigint`, `decimal(10,2)`,
 * `varchar(64)`, and nested `array<...>`, `map<...>`, `struct<name:type,...>`.
 */

const SIMPLE_TYPES = new Set([
  'boolean', 'tinyint', 'smallint', 'int', 'integer', 'bigint', 'float', 'double',
  'string', 'date', 'timestamp', 'binary', 'decimal',
]);
const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'int', 'integer', 'bigint']);

/** Whether `type` is a valid Athena column type; from JavaScript it may be no text at all. */
export function isColumnType(type: string): boolean {
  if (typeof type !== 'string') {
    return false;
  }
  const parser = new TypeParser(type);
  return parser.parseType() && parser.atEnd();
}

/** Whether `type` is a primitive type, as partition keys must be. */
export function isPrimitiveColumnType(type: string): boolean {
  return isColumnType(type) && !/[<]/.test(type);
}

/** Whether `type` is an integer type. */
export function isIntegerColumnType(type: string): boolean {
  return INTEGER_TYPES.has(type);
}

class TypeParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  public atEnd(): boolean {
    return this.pos === this.text.length;
  }

  public parseType(): boolean {
    const word = this.word();
    switch (word) {
      case 'array':
        return this.eat('<') && this.parseType() && this.eat('>');
      case 'map':
        return this.eat('<') && this.parsePrimitive() && this.eat(',') && this.parseType() && this.eat('>');
      case 'struct':
        return this.eat('<') && this.parseFields() && this.eat('>');
      case 'decimal':
        return this.peek('(') ? this.eat('(') && this.decimalArgs() && this.eat(')') : true;
      case 'char':
      case 'varchar':
        return this.eat('(') && this.length(word === 'char' ? 255 : 65535) && this.eat(')');
      default:
        return SIMPLE_TYPES.has(word);
    }
  }

  private parsePrimitive(): boolean {
    const start = this.pos;
    const ok = this.parseType();
    return ok && !this.text.slice(start, this.pos).includes('<');
  }

  private parseFields(): boolean {
    do {
      if (!/^[a-z_][a-z0-9_]*$/.test(this.word()) || !this.eat(':') || !this.parseType()) {
        return false;
      }
    } while (this.eat(','));
    return true;
  }

  private decimalArgs(): boolean {
    const precision = this.number();
    if (!(precision >= 1 && precision <= 38)) {
      return false;
    }
    if (!this.eat(',')) {
      return true;
    }
    const scale = this.number();
    return scale >= 0 && scale <= precision;
  }

  private length(max: number): boolean {
    const n = this.number();
    return n >= 1 && n <= max;
  }

  private word(): string {
    const match = /^[a-z_][a-z0-9_]*/.exec(this.text.slice(this.pos));
    this.pos += match ? match[0].length : 0;
    return match ? match[0] : '';
  }

  private number(): number {
    const match = /^[0-9]+/.exec(this.text.slice(this.pos));
    this.pos += match ? match[0].length : 0;
    return match ? Number(match[0]) : NaN;
  }

  private peek(char: string): boolean {
    return this.text[this.pos] === char;
  }

  private eat(char: string): boolean {
    if (this.peek(char)) {
      this.pos++;
      return true;
    }
    return false;
  }
}
