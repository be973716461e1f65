import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, templateKeys } from '../../src/core/template.js';

const values: Record<string, string> = { first_name: 'Ada', 'owner.name': 'Sam Lee', company: 'Acme & Co', title: '' };
const lookup = (k: string) => values[k];
const render = (t: string, escape?: (s: string) => string) => renderTemplate(parseTemplate(t).parts, lookup, escape);

describe('renderTemplate', () => {
  it.each([
    ['Hi {{first_name}},', 'Hi Ada,', []],
    ['Hi {{ first_name }},', 'Hi Ada,', []],
    ['Hi {{nickname|there}},', 'Hi there,', []],
    ['Hi {{first_name|there}},', 'Hi Ada,', []],
    ['Hi {{nickname | dear friend }}!', 'Hi dear friend!', []],
    ['Hi {{nickname|}}!', 'Hi !', []],
    // An empty value is "cannot fill": the default applies, or it is missing.
    ['{{title|our partner}}', 'our partner', []],
    ['{{title}} at {{company}}', '{{title}} at Acme & Co', ['title']],
    ['— {{owner.name}}', '— Sam Lee', []],
    ['{{a}} {{b}} {{a}}', '{{a}} {{b}} {{a}}', ['a', 'b']],
    ['no placeholders { } }} {', 'no placeholders { } }} {', []],
  ])('%j → %j', (template, text, missing) => {
    expect(render(template)).toEqual({ text, missing });
  });

  it('escapes substituted values only, never the template text', () => {
    expect(render('<p>{{company}} & {{x|<b>}}</p>', (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')).text).toBe('<p>Acme &amp; Co & &lt;b></p>');
  });

  it('is logic-less: anything but a key is an error, never evaluated', () => {
    for (const t of ['{{#each contacts}}', '{{constructor.constructor("x")()}}', '{{> partial}}', '{{ }}', '{{a b}}']) {
      const { errors } = parseTemplate(t);
      expect(errors.length, t).toBe(1);
      expect(errors[0].message).toMatch(/not a placeholder/);
    }
  });

  it('reports an unclosed placeholder with its line and column', () => {
    expect(parseTemplate('Hello\nDear {{first_name,\nbye {{x}}').errors).toEqual([{ line: 2, column: 6, message: "'{{' without a closing '}}'" }]);
  });

  it('lists the keys used', () => {
    expect(templateKeys(parseTemplate('{{a}} {{b|x}} {{a}} {{owner.name}}').parts)).toEqual(['a', 'b', 'owner.name']);
  });
});
