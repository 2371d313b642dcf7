import * as vscode from 'vscode';
import { MODEL_ID } from '../shared/models';
import { SECTION, settingsTarget } from './settings';

interface RoleItem extends vscode.QuickPickItem {
  key: 'models.planner' | 'models.worker' | 'models.expert';
  list: boolean;
}

/** Select Models: pick a role, then edit its models (cascades cheapest first, comma-separated). */
export async function selectModels(): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const show = (key: RoleItem['key']) => {
    const value = config.get<string | string[]>(key);
    return Array.isArray(value) ? value.join(', ') : String(value ?? '');
  };
  const roles: RoleItem[] = [
    {
      key: 'models.planner',
      list: true,
      label: '$(list-ordered) Planner cascade',
      description: show('models.planner'),
      detail: 'Chooses each action; escalates to the next model on format failures or repeats.',
    },
    {
      key: 'models.worker',
      list: true,
      label: '$(tools) Worker cascade',
      description: show('models.worker'),
      detail: 'Understand File, Edit Script, Reflection.',
    },
    {
      key: 'models.expert',
      list: false,
      label: '$(mortar-board) Expert',
      description: show('models.expert'),
      detail: 'The expensive model behind the lifelines and the last escalation.',
    },
  ];
  const role = await vscode.window.showQuickPick(roles, { title: 'BudgetML: Select Models', placeHolder: 'Which role?' });
  if (!role) return;
  const answer = await vscode.window.showInputBox({
    title: `BudgetML: ${role.label.replace(/^\$\([^)]*\) /, '')}`,
    prompt: role.list ? 'Models as provider:model, cheapest first, separated by commas' : 'One model as provider:model',
    value: show(role.key),
    ignoreFocusOut: true,
    validateInput: (value) => validate(value, role.list),
  });
  if (answer === undefined) return;
  const ids = split(answer);
  await config.update(role.key, role.list ? ids : ids[0], settingsTarget());
  void vscode.window.showInformationMessage(`BudgetML: ${role.key} set to ${ids.join(', ')}.`);
}

function split(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function validate(value: string, list: boolean): string | undefined {
  const ids = split(value);
  if (!ids.length) return 'Name at least one model.';
  if (!list && ids.length > 1) return 'The expert is a single model.';
  const bad = ids.find((id) => !MODEL_ID.test(id));
  return bad ? `"${bad}" is not provider:model (provider openai or gemini), e.g. openai:gpt-4.1-mini` : undefined;
}
