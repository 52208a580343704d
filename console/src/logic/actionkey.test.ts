import { describe, expect, it } from 'vitest';
import { ActionKey } from './actionkey';

describe('ActionKey', () => {
  let n = 0;
  const keys = () => new ActionKey(() => `key-${++n}`);

  it('reuses the key for the same request until the action is done', () => {
    const k = keys();
    const first = k.for('{"quantity":10}');
    expect(k.for('{"quantity":10}')).toBe(first);
    k.done();
    expect(k.for('{"quantity":10}')).not.toBe(first);
  });

  it('gives another request another key', () => {
    const k = keys();
    const first = k.for('{"quantity":10}');
    const second = k.for('{"quantity":11}');
    expect(second).not.toBe(first);
    expect(k.for('{"quantity":10}')).not.toBe(first);
  });

  it('makes UUIDs by default', () => {
    expect(new ActionKey().for('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
