import { architecturePage, README_PICTURE, readmeWithPicture } from '../../scripts/architecture-page';
import { readPage } from '../support/doc-commands';

/** The committed diagrams against the app as it synthesizes now. */
describe('the architecture diagrams', () => {
  let page: string;
  beforeAll(() => {
    page = architecturePage();
  });

  test('docs/architecture.md is what the app draws now: else run `npm run docs -- diagrams`', () => {
    expect(readPage('docs/architecture.md')).toBe(page);
  });

  test('the README\'s picture is the team stack by layer as the app draws it now', () => {
    const readme = readPage('README.md');
    expect(readme).toContain(README_PICTURE);
    // the page's first diagram is the team stack by layer
    const [, teamStack] = page.match(/```mermaid\n([\s\S]*?)\n```/)!;
    expect(readmeWithPicture(readme, teamStack)).toBe(readme);
  });

  test('show every layer of the default stack, a sandbox\'s reads of the team stack, and a run from its trigger to the endpoint', () => {
    for (const layer of ['network', 'data warehouse', 'compute', 'job scheduler', 'versioning', 'Metaflow', 'observability']) {
      expect(page).toContain(`subgraph layer_${layer.replace(/ /g, '_')}["${layer}"]`);
    }
    expect(page).toMatch(/ExampleWorkflow --> Compute/);
    expect(page).toMatch(/sbx_ProjectRole -- "artifact-bucket-name" --> team_Artifacts/);
    expect(page).toMatch(/schedule cron\(0 2 \* \* \? \*\) Etc\/UTC, off until enabled/);
    expect(page).toMatch(/table events<br\/>raw zone events\/"\)\] --> step_features/);
    expect(page).toMatch(/step_features --> step_train/);
    expect(page).toMatch(/step_register -- "pending approval" --> group/);
    expect(page).toMatch(/group -\. "approved version" \.-> endpoint_ExampleEndpoint/);
  });
});
