import { Template } from 'aws-cdk-lib/assertions';

/** What a token of the body stands for, as text. */
export type TokenText = (token: object) => string;

/**
 * The one dashboard of `template`, its body parsed. Each token of the body is shown as `TOKEN`; given
 * `tokenText`, each is shown as that text instead, with `Fn::Select` of `Fn::Split` computed on it.
 */
export function dashboardOf(template: Template, tokenText?: TokenText): any {
  const body = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody;
  const part = (p: unknown): string => (typeof p === 'string' ? p : tokenText ? evaluated(p as object, tokenText) : 'TOKEN');
  return JSON.parse(typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map(part).join(''));
}

function evaluated(token: object, tokenText: TokenText): string {
  const select = (token as any)['Fn::Select'];
  if (!select) {
    return tokenText(token);
  }
  const [index, { 'Fn::Split': [separator, source] }] = select;
  return evaluated(source, tokenText).split(separator)[index];
}

/** The properties of the widget titled `title` of a dashboard `dashboardOf` read; fails naming the titles there are. */
export function widgetOf(dashboard: any, title: string): any {
  const widget = dashboard.widgets.find((w: any) => w.properties.title === title);
  if (!widget) {
    throw new Error(`no widget titled "${title}"; the dashboard has ${dashboard.widgets.map((w: any) => JSON.stringify(w.properties.title)).join(', ')}`);
  }
  return widget.properties;
}
