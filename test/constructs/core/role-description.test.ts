import { roleDescription } from '../../../constructs/core/role-description';

describe('roleDescription', () => {
  test('keeps what IAM takes: printable Latin-1, tabs and line ends', () => {
    const text = 'Role of the Zürich-ÿ ~ job\tone\r\ntwo ¡';
    expect(roleDescription(text)).toBe(text);
  });

  test('shows each character IAM refuses as ?: control characters, DEL to NBSP, anything beyond Latin-1', () => {
    expect(roleDescription('a\u0000b\u001fc\u007fd\u00a0e中f😀g')).toBe('a?b?c?d?e?f?g');
  });

  test('stops at IAM\'s 1000 characters', () => {
    expect(roleDescription('x'.repeat(1000))).toHaveLength(1000);
    expect(roleDescription('x'.repeat(1001))).toBe('x'.repeat(1000));
  });
});
