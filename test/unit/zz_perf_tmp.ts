import { parseMetrics } from '../../src/core/experiments/metrics';
const block = `Train Epoch: 1 [19200/60000 (32%)]\tLoss: 0.338407
1875/1875 [==============================] - 6s 3ms/step - loss: 0.2947 - accuracy: 0.9143 - val_loss: 0.1391 - val_accuracy: 0.9588
\r 32%|███▏      | 500/1564 [01:40<03:32,  5.00it/s]{'loss': 0.3723, 'grad_norm': 5.8821, 'learning_rate': 3.4015e-05, 'epoch': 0.32}
{'eval_loss': 0.2259, 'eval_accuracy': 0.9262, 'eval_runtime': 61.23, 'eval_samples_per_second': 408.283, 'eval_steps_per_second': 12.76, 'epoch': 2.0}
Some weights of DistilBertForSequenceClassification were not initialized from the model checkpoint at distilbert-base-uncased and are newly initialized: ['classifier.bias', 'classifier.weight', 'pre_classifier.bias', 'pre_classifier.weight']
  File "/usr/lib/python3.10/site-packages/torch/nn/modules/module.py", line 1518, in _wrapped_call_impl
  eval_accuracy           =     0.9262
`;
const log = block.repeat(Math.ceil(5e6 / block.length));
for (let i = 0; i < 3; i++) { const t = performance.now(); parseMetrics(log); console.log(performance.now() - t); }
