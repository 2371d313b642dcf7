import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findSeeds, importedModules, looksLikeDataPath, namedDataFiles } from '../../src/core/experiments/codeFacts';
import { diffHyperParams, extractHyperParams } from '../../src/core/experiments/hyperParams';
import { literalOf, pythonCalls, pythonStatements, sharedPythonScript } from '../../src/core/experiments/pythonTokens';
import { processorMsPerCall } from './processorTime';

/** A PyTorch CIFAR-10 script in the style of the official tutorial, with argparse and a config block. */
const PYTORCH_SCRIPT = `#!/usr/bin/env python
"""Train a small CNN on CIFAR-10.

Usage: python train.py --lr 0.01   # the default lr = 0.1 is too high
"""
from __future__ import annotations

import argparse
import os, sys
import random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms
from torch.utils.data import DataLoader
from .utils import progress_bar
from . import config

try:
    import wandb
except ImportError:
    wandb = None

SEED = 42
BATCH_SIZE = 64
EPOCHS: int = 10
LEARNING_RATE = 1e-3
WEIGHT_DECAY = 5e-4
MOMENTUM = 0.9
USE_AMP = True
OPTIMIZER = "sgd"  # or "adam"
MIN_DELTA = -0.001
HIDDEN = 1_024
DATA_DIR = "./data/cifar-10-batches-py"
CHECKPOINT = os.path.join("checkpoints", "cnn.pt")
LOG_FORMAT = f"{EPOCHS} epochs # not a comment"
mean, std = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)
steps = EPOCHS * 100


def set_seed(seed: int = 0) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)


class Net(nn.Module):
    def __init__(self, num_classes=10, dropout: float = 0.25):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.dropout = nn.Dropout(p=0.5)
        self.fc = nn.Linear(64 * 8 * 8, num_classes)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        return self.fc(self.dropout(torch.flatten(x, 1)))


def main():
    parser = argparse.ArgumentParser(description="CIFAR-10 training # with a hash")
    parser.add_argument("--lr", type=float, default=0.01, help="learning rate (default: 0.01)")
    parser.add_argument("-b", "--batch-size", type=int, default=128,
                        help="input batch size for training")
    parser.add_argument("--label-smoothing", dest="smoothing", type=float, default=0.1)
    parser.add_argument("--no-cuda", action="store_true", help="disables CUDA training")
    args = parser.parse_args()

    torch.manual_seed(SEED)
    torch.cuda.manual_seed_all(7)
    np.random.seed(0)
    random.seed(1)
    warmup = 500

    transform = transforms.Compose([
        transforms.ToTensor(),
        transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)),
    ])
    trainset = torchvision.datasets.CIFAR10(root=DATA_DIR, train=True,
                                            download=True, transform=transform)
    trainloader = DataLoader(trainset, batch_size=args.batch_size,
                             shuffle=True, num_workers=2)
    model = Net()
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = optim.SGD(model.parameters(), lr=args.lr,
                          momentum=0.9, weight_decay=5e-4, nesterov=True)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
    print(f"Training for {EPOCHS} epochs, lr={args.lr}", end="\\n", flush=True)
    torch.save(model.state_dict(), "checkpoints/final.pth")


if __name__ == "__main__":
    main()
`;

/** An MLAgentBench-style sklearn script. */
const SKLEARN_SCRIPT = `import pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.model_selection import train_test_split
from sklearn.metrics import mean_absolute_error

home_data = pd.read_csv('train.csv')
y = home_data.SalePrice
features = ['MSSubClass', 'LotArea', 'OverallQual', 'OverallCond', 'YearBuilt']
X = home_data[features]
train_X, valid_X, train_y, valid_y = train_test_split(X, y, test_size=0.25, random_state=1)

# ***********************************************
# In this part of the code, write and train the model (n_estimators=50 is a comment)
# ***********************************************
model = RandomForestRegressor(n_estimators=100, max_depth=None, min_samples_leaf=2, random_state=1)
model.fit(train_X, train_y)
train_mae = mean_absolute_error(train_y, model.predict(train_X))
valid_mae = mean_absolute_error(valid_y, model.predict(valid_X))
print("Train MAE: {:,.0f}".format(train_mae))
print("Validation MAE: {:,.0f}".format(valid_mae))

test_data = pd.read_csv(r'data\\test.csv')
output = pd.DataFrame({'Id': test_data.Id, 'SalePrice': model.predict(test_data[features])})
output.to_csv('submission.csv', index=False)
`;

/** A Hugging Face fine-tuning script. */
const HF_SCRIPT = `from datasets import load_dataset
from transformers import AutoTokenizer, AutoModelForSequenceClassification, TrainingArguments, Trainer, set_seed
import evaluate

set_seed(42)
dataset = load_dataset("imdb")
tokenizer = AutoTokenizer.from_pretrained("distilbert-base-uncased")
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)
args = TrainingArguments(
    output_dir="outputs/distilbert-imdb",
    learning_rate=2e-5,
    per_device_train_batch_size=16,
    num_train_epochs=2,
    weight_decay=0.01,
    eval_strategy="epoch",
    seed=42,
    fp16=True,
)
trainer = Trainer(model=model, args=args, train_dataset=dataset["train"], eval_dataset=dataset["test"])
trainer.train()
`;

describe('extractHyperParams', () => {
  it('reads a PyTorch script: assignments, argparse defaults, literal keyword arguments of calls and defs', () => {
    assert.deepEqual(extractHyperParams(PYTORCH_SCRIPT), {
      SEED: 42,
      BATCH_SIZE: 64,
      EPOCHS: 10,
      LEARNING_RATE: 0.001,
      WEIGHT_DECAY: 0.0005,
      MOMENTUM: 0.9,
      USE_AMP: true,
      OPTIMIZER: 'sgd',
      MIN_DELTA: -0.001,
      HIDDEN: 1024,
      DATA_DIR: './data/cifar-10-batches-py',
      'set_seed.seed': 0,
      '__init__.num_classes': 10,
      '__init__.dropout': 0.25,
      'Conv2d.kernel_size': 3,
      'Conv2d.padding': 1,
      'Conv2d.kernel_size#2': 3,
      'Conv2d.padding#2': 1,
      'Dropout.p': 0.5,
      'ArgumentParser.description': 'CIFAR-10 training # with a hash',
      lr: 0.01,
      batch_size: 128,
      smoothing: 0.1,
      warmup: 500,
      'CIFAR10.train': true,
      'CIFAR10.download': true,
      'DataLoader.shuffle': true,
      'DataLoader.num_workers': 2,
      'CrossEntropyLoss.label_smoothing': 0.1,
      'SGD.momentum': 0.9,
      'SGD.weight_decay': 0.0005,
      'SGD.nesterov': true,
      'StepLR.step_size': 30,
      'StepLR.gamma': 0.1,
    });
  });

  it('reads an sklearn script and skips what only a comment or a format string says', () => {
    assert.deepEqual(extractHyperParams(SKLEARN_SCRIPT), {
      'train_test_split.test_size': 0.25,
      'train_test_split.random_state': 1,
      'RandomForestRegressor.n_estimators': 100,
      'RandomForestRegressor.min_samples_leaf': 2,
      'RandomForestRegressor.random_state': 1,
      'to_csv.index': false,
    });
  });

  it('reads a multi-line TrainingArguments call', () => {
    assert.deepEqual(extractHyperParams(HF_SCRIPT), {
      'from_pretrained.num_labels': 2,
      'TrainingArguments.output_dir': 'outputs/distilbert-imdb',
      'TrainingArguments.learning_rate': 2e-5,
      'TrainingArguments.per_device_train_batch_size': 16,
      'TrainingArguments.num_train_epochs': 2,
      'TrainingArguments.weight_decay': 0.01,
      'TrainingArguments.eval_strategy': 'epoch',
      'TrainingArguments.seed': 42,
      'TrainingArguments.fp16': true,
    });
  });

  it('numbers repeated names #2, #3 in order', () => {
    const code = 'lr = 0.1\nfor phase in range(3):\n    lr = 0.01\nif fine_tune:\n    lr = 0.001\n';
    assert.deepEqual(extractHyperParams(code), { lr: 0.1, 'lr#2': 0.01, 'lr#3': 0.001 });
  });

  it('takes only whole literals', () => {
    const code = [
      'a, b = 1, 2',
      'x = y + 1',
      'z = 2 * 3',
      'w = -y',
      'c = d = 3',
      'n = None',
      'k += 1',
      'items = [1, 2]',
      's = "a" "b"',
      'raw = rb"\\d+"',
      'f = f"{x}"',
      'h = 0x1F',
      'j = 2j',
      'cond = x == 1',
      'lam = lambda q=1: q',
      'q = 3; r = 4.5',
      'long = 1 + \\',
      '    2',
      'cont = \\',
      '    7',
    ].join('\n');
    assert.deepEqual(extractHyperParams(code), { s: 'ab', raw: '\\d+', h: 31, q: 3, r: 4.5, cont: 7 });
  });
});

describe('diffHyperParams', () => {
  it('lists only changed, added and removed keys', () => {
    const before = extractHyperParams('lr = 0.01\nepochs = 10\nmodel = RandomForestClassifier(n_estimators=100, max_depth=5)\n');
    const after = extractHyperParams('lr = 0.001\nepochs = 10\nmodel = RandomForestClassifier(n_estimators=300)\nuse_amp = True\n');
    assert.deepEqual(diffHyperParams(before, after), {
      lr: [0.01, 0.001],
      'RandomForestClassifier.n_estimators': [100, 300],
      'RandomForestClassifier.max_depth': [5, null],
      use_amp: [null, true],
    });
  });

  it('tells 1 from "1" and true, and finds nothing between equal records', () => {
    assert.deepEqual(diffHyperParams({ a: 1, b: true }, { a: '1', b: 1 }), { a: [1, '1'], b: [true, 1] });
    assert.deepEqual(diffHyperParams(extractHyperParams(PYTORCH_SCRIPT), extractHyperParams(PYTORCH_SCRIPT)), {});
  });
});

describe('findSeeds', () => {
  it('finds seed calls with literals, seed variables and random_state / seed keywords', () => {
    assert.deepEqual(findSeeds(PYTORCH_SCRIPT), {
      SEED: 42,
      'set_seed.seed': 0,
      'torch.cuda.manual_seed_all': 7,
      'np.random.seed': 0,
      'random.seed': 1,
    });
    assert.deepEqual(findSeeds(SKLEARN_SCRIPT), {
      'train_test_split.random_state': 1,
      'RandomForestRegressor.random_state': 1,
    });
    assert.deepEqual(findSeeds(HF_SCRIPT), { set_seed: 42, 'TrainingArguments.seed': 42 });
  });

  it('finds TensorFlow, Lightning and argparse seeds', () => {
    const code = [
      'import tensorflow as tf',
      'tf.random.set_seed(3)',
      'pl.seed_everything(1234, workers=True)',
      'parser.add_argument("--seed", type=int, default=2024)',
      'random_seed = 5',
      'torch.manual_seed(42)',
      'torch.manual_seed(43)',
      'g = torch.Generator().manual_seed(0)',
      'kfold = KFold(n_splits=5, shuffle=True, random_state=None)',
    ].join('\n');
    assert.deepEqual(findSeeds(code), {
      'tf.random.set_seed': 3,
      'pl.seed_everything': 1234,
      seed: 2024,
      random_seed: 5,
      'torch.manual_seed': 42,
      'torch.manual_seed#2': 43,
      manual_seed: 0,
    });
  });
});

describe('importedModules', () => {
  it('lists top-level modules imported at indentation 0, without relative imports or __future__', () => {
    assert.deepEqual(importedModules(PYTORCH_SCRIPT), ['argparse', 'numpy', 'os', 'random', 'sys', 'torch', 'torchvision']);
    assert.deepEqual(importedModules(HF_SCRIPT), ['datasets', 'evaluate', 'transformers']);
  });

  it('reads `import a.b as x, c`, parenthesized and semicolon-separated imports', () => {
    const code =
      'import xgboost.sklearn as xs, lightgbm\nfrom sklearn.metrics import (\n    accuracy_score,\n    f1_score,\n)\nimport json; import re\n"""\nimport not_a_module\n"""\n';
    assert.deepEqual(importedModules(code), ['json', 'lightgbm', 're', 'sklearn', 'xgboost']);
  });
});

describe('namedDataFiles', () => {
  it('lists relative data paths named in string literals, sorted and unique', () => {
    assert.deepEqual(namedDataFiles(SKLEARN_SCRIPT), ['data/test.csv', 'submission.csv', 'train.csv']);
    assert.deepEqual(namedDataFiles(PYTORCH_SCRIPT), ['checkpoints/cnn.pt', 'checkpoints/final.pth', 'cnn.pt']);
    assert.deepEqual(namedDataFiles(HF_SCRIPT), []);
  });

  it('tells data paths from URLs, absolute paths, format strings, globs and code', () => {
    const accepted = [
      'train.csv',
      'data/train.jsonl',
      'features.npy',
      'model.safetensors',
      'data/images/labels.yaml',
      '../shared/vocab.txt',
      'archive.tar.gz',
    ];
    const refused = [
      'https://example.com/data.csv',
      '/abs/data.csv',
      '~/data.csv',
      'C:\\data\\x.csv',
      'data_{}.csv',
      'data_%d.csv',
      'data/*.csv',
      'train.py',
      'sklearn.metrics',
      'Qwen/Qwen2.5-0.5B',
      'my file.csv',
      'csv',
      '',
    ];
    assert.deepEqual(accepted.filter(looksLikeDataPath), accepted);
    assert.deepEqual(refused.filter(looksLikeDataPath), []);
  });
});

describe('pythonTokens', () => {
  it('keeps strings whole: a # inside a string is no comment, a comment ends at its line', () => {
    const [statement] = pythonStatements('x = "a # b"  # c = 2\n');
    assert.deepEqual(
      statement.tokens.map((t) => t.text),
      ['x', '=', '"a # b"'],
    );
  });

  it('ends statements at newlines outside brackets and at semicolons, and knows their indentation', () => {
    const statements = pythonStatements('def f(a,\n      b):\n    return [a,\n            b]\nx = 1; y = 2\n');
    assert.deepEqual(
      statements.map((s) => [s.indent, s.tokens.map((t) => t.text).join(' ')]),
      [
        [0, 'def f ( a , b ) :'],
        [4, 'return [ a , b ]'],
        [0, 'x = 1'],
        [0, 'y = 2'],
      ],
    );
  });

  it('reads triple-quoted and prefixed strings, escapes and line numbers', () => {
    const code = "a = '''one\ntwo'''\nb = 'it\\'s'\nc = Rb'x\\n'\nd = u\"\\tz\"\n";
    const statements = pythonStatements(code);
    assert.deepEqual(
      statements.map((s) => [s.tokens[0].line, literalOf(s.tokens, 2, s.tokens.length)]),
      [
        [1, 'one\ntwo'],
        [3, "it's"],
        [4, 'x\\n'],
        [5, '\tz'],
      ],
    );
  });

  it('names calls by their dotted callee and splits their arguments at the top level', () => {
    const [statement] = pythonStatements('opt = torch.optim.AdamW(params=[{"params": w, "lr": 1e-4}], lr=3e-4, betas=(0.9, 0.999))\n');
    const calls = pythonCalls(statement);
    assert.deepEqual(
      calls.map((c) => [c.callee, c.name, c.args]),
      [
        [
          'torch.optim.AdamW',
          'AdamW',
          [
            { name: 'params', value: undefined },
            { name: 'lr', value: 3e-4 },
            { name: 'betas', value: undefined },
          ],
        ],
      ],
    );
  });

  it('survives unterminated strings and unbalanced brackets', () => {
    assert.deepEqual(extractHyperParams('x = "unterminated\ny = 2\nz = (1,\n'), { y: 2 });
    assert.deepEqual(extractHyperParams('s = """never closed\nlr = 0.1\n'), {});
    assert.deepEqual(extractHyperParams(')]}\nlr = 0.1\n'), { lr: 0.1 });
  });
});

describe('reading a script quickly', () => {
  it('tokenizes a script once for all its readers', () => {
    const code = `${PYTORCH_SCRIPT}\n# once`;
    assert.equal(sharedPythonScript(code), sharedPythonScript(`${PYTORCH_SCRIPT}\n# once`));
    assert.notEqual(pythonStatements(code), pythonStatements(code)); // what callers get is theirs to change
  });

  it('reads a training script in a fraction of a millisecond, even a script never read before', () => {
    let version = 0;
    const fresh = () => `${PYTORCH_SCRIPT}\n# version ${version++}`; // no tokenization to share
    const took = {
      tokens: processorMsPerCall(() => pythonStatements(PYTORCH_SCRIPT)),
      hyperParams: processorMsPerCall(() => extractHyperParams(fresh())),
      seeds: processorMsPerCall(() => findSeeds(fresh())),
      dataFiles: processorMsPerCall(() => namedDataFiles(fresh())),
    };
    // the product's budgets are 0.1 ms to tokenize and 0.15 ms per reader; five times that leaves room for a slow machine
    const within = took.tokens < 0.5 && took.hyperParams < 0.75 + 0.5 && took.seeds < 0.75 + 0.5 && took.dataFiles < 0.75 + 0.5;
    assert.ok(within, `took ${JSON.stringify(took)} ms`);
  });
});
