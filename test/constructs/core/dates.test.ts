import { calendarDay, daysFromToday } from '../../../constructs/core/dates';

describe('calendar days', () => {
  test.each([['2024-02-29', Date.UTC(2024, 1, 29)], ['2026-12-31', Date.UTC(2026, 11, 31)], ['2027-01-01', Date.UTC(2027, 0, 1)]])('reads %s as the UTC midnight it begins', (text, ms) => {
    expect(calendarDay(text)).toBe(ms);
  });

  test.each(['2027-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-01', ' 2026-01-01', '2026-01-01T00:00', '', 20260101, undefined])(
    'refuses %j, which is no day', (text) => {
      expect(calendarDay(text)).toBeUndefined();
    });

  test('counts days from today in UTC', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 11, 31, 23, 59));
    expect([daysFromToday(0), daysFromToday(1), daysFromToday(14)]).toEqual(['2026-12-31', '2027-01-01', '2027-01-14']);
  });
});
