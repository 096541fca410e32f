import { Template } from 'aws-cdk-lib/assertions';

/** The one dashboard of `template`, its body parsed, with each token of the body shown as `TOKEN`. */
export function dashboardOf(template: Template): any {
  const body = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody;
  const text = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text);
}
