import * as vscode from 'vscode';
import type { Price } from '../core/config';
import { BUILT_IN_PRICES } from '../core/cost/prices';
import { MODEL_ID } from '../shared/models';
import { SECTION, settingsTarget } from './settings';

type RoleKey = 'models.planner' | 'models.worker' | 'models.expert';

interface RoleItem extends vscode.QuickPickItem {
  key: RoleKey;
  list: boolean;
}

interface ModelItem extends vscode.QuickPickItem {
  /** undefined: "another model…" */
  id?: string;
  price?: Price;
}

/**
 * Select Models: pick a role, then its models from the priced ones (with their prices per million
 * tokens; cascades are ordered cheapest first) or any other model by name.
 */
export async function selectModels(): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const current = (key: RoleKey): string[] => {
    const value = config.get<string | string[]>(key);
    return Array.isArray(value) ? value : value ? [value] : [];
  };
  const roles: RoleItem[] = [
    {
      key: 'models.planner',
      list: true,
      label: `$(list-ordered) ${vscode.l10n.t('Planner cascade')}`,
      description: current('models.planner').join(', '),
      detail: vscode.l10n.t('Chooses each action; escalates to the next model on format failures or repeats.'),
    },
    {
      key: 'models.worker',
      list: true,
      label: `$(tools) ${vscode.l10n.t('Worker cascade')}`,
      description: current('models.worker').join(', '),
      detail: vscode.l10n.t('Understand File, Edit Script, Reflection.'),
    },
    {
      key: 'models.expert',
      list: false,
      label: `$(mortar-board) ${vscode.l10n.t('Expert')}`,
      description: current('models.expert').join(', '),
      detail: vscode.l10n.t('The expensive model behind the lifelines and the last escalation.'),
    },
  ];
  const title = vscode.l10n.t('BudgetML: Select Models');
  const role = await vscode.window.showQuickPick(roles, { title, placeHolder: vscode.l10n.t('Which role?') });
  if (!role) return;
  const prices = { ...BUILT_IN_PRICES, ...(config.get<Record<string, Price>>('prices') ?? {}) };
  const ids = await pickModels(role, current(role.key), prices);
  if (!ids?.length) return;
  await config.update(role.key, role.list ? ids : ids[0], settingsTarget());
  void vscode.window.showInformationMessage(vscode.l10n.t('BudgetML: {0} set to {1}.', role.key, ids.join(', ')));
}

async function pickModels(role: RoleItem, current: string[], prices: Record<string, Price>): Promise<string[] | undefined> {
  const items = modelItems(current, prices);
  const placeHolder = role.list
    ? vscode.l10n.t('Models for the cascade (tried cheapest first); prices in USD per million tokens')
    : vscode.l10n.t('One model; prices in USD per million tokens');
  const title = role.label.replace(/^\$\([^)]*\) /, '');
  if (!role.list) {
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true });
    if (!picked) return undefined;
    return picked.id ? [picked.id] : askOther(title, false);
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, canPickMany: true, matchOnDescription: true });
  if (!picked) return undefined;
  const ids = picked.filter((p) => p.id).map((p) => p.id!);
  const other = picked.some((p) => !p.id) ? await askOther(title, true) : [];
  if (other === undefined) return undefined;
  return cheapestFirst([...ids, ...other], prices);
}

function modelItems(current: string[], prices: Record<string, Price>): ModelItem[] {
  const ids = [...new Set([...Object.keys(prices), ...current])];
  const byProvider = (provider: string) =>
    cheapestFirst(
      ids.filter((id) => id.startsWith(`${provider}:`)),
      prices,
    ).map((id): ModelItem => ({ label: id, id, price: prices[id], description: priceText(prices[id]), picked: current.includes(id) }));
  return [
    { label: 'OpenAI', kind: vscode.QuickPickItemKind.Separator },
    ...byProvider('openai'),
    { label: 'Gemini', kind: vscode.QuickPickItemKind.Separator },
    ...byProvider('gemini'),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: `$(edit) ${vscode.l10n.t('Another model…')}`, description: vscode.l10n.t('name it as provider:model') },
  ];
}

function priceText(price: Price | undefined): string {
  if (!price) return vscode.l10n.t('no price known: its calls count as free');
  return vscode.l10n.t('in ${0} · out ${1}', price.input, price.output);
}

/** Ordered by what a typical call costs (input and output weighed 3:1). */
function cheapestFirst(ids: string[], prices: Record<string, Price>): string[] {
  const weight = (id: string) => {
    const p = prices[id];
    return p ? 3 * p.input + p.output : Number.POSITIVE_INFINITY;
  };
  return [...new Set(ids)].sort((a, b) => weight(a) - weight(b));
}

async function askOther(title: string, list: boolean): Promise<string[] | undefined> {
  const answer = await vscode.window.showInputBox({
    title,
    prompt: list ? vscode.l10n.t('Models as provider:model, separated by commas') : vscode.l10n.t('One model as provider:model'),
    ignoreFocusOut: true,
    validateInput: (value) => validate(value, list),
  });
  return answer === undefined ? undefined : split(answer);
}

function split(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function validate(value: string, list: boolean): string | undefined {
  const ids = split(value);
  if (!ids.length) return vscode.l10n.t('Name at least one model.');
  if (!list && ids.length > 1) return vscode.l10n.t('The expert is a single model.');
  const bad = ids.find((id) => !MODEL_ID.test(id));
  return bad ? vscode.l10n.t('"{0}" is not provider:model (provider openai or gemini), e.g. openai:gpt-4.1-mini', bad) : undefined;
}
