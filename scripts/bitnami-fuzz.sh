#!/usr/bin/env bash
# Differential test of the bitnami dialect against readme-generator 2.7.0 on random inputs.
#
# Writes COUNT random cases (values.yaml with metadata, one of a few README shapes) as
# tests/fixtures/values/bitnami/fuzz_SEED_NNN/, makes their goldens with the real tool
# (make-golden.sh), runs the conformance test and prints every case where cozy's output or
# failure differs from the tool's. The cases are removed afterwards unless KEEP=1.
#
# Usage: scripts/bitnami-fuzz.sh [SEED] [COUNT]      (defaults: 1 40)
set -euo pipefail

seed=${1:-1}
count=${2:-40}
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cases="$root/tests/fixtures/values/bitnami"

cleanup() {
  [ "${KEEP:-0}" = 1 ] || rm -rf "$cases"/fuzz_"$seed"_*
}
trap cleanup EXIT

python3 - "$seed" "$count" "$cases" <<'PY'
import os
import random
import sys

seed, count, base = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rnd = random.Random(seed)
SCALARS = ['1', '0', '-3', '017', '0x1F', '0o7', '1.5', '1e3', '.inf', '-.inf', '.nan', 'true', 'False',
           'yes', 'no', 'null', '~', '', '"quoted"', "'single'", '"017"', 'text', 'two words',
           '"with: colon"', '"a|b"', '"`tick`"', '12345678901234567890', '0.0000001', '1e21',
           '"\u00e9\u2014\U0001F680"', '"tab\\there"', '"line\\nbreak"', '"nil"', '"null"', '!!str 5', '-0',
           '"  spaces  "', '2024-01-01', '"<&>"', '+5', '0b11', '-0x1', '!custom 7']
KEYS = ['a', 'b', 'c', 'name', 'port', '8080', '10', '2', '0', 'x.y', 'key-dash', 'under_score', 'Mixed',
        '\u00e9']
MODIFIERS = ['', '', '', '', '[array]', '[object]', '[string]', '[nullable]', '[default: d]',
             '[array, nullable]', '[string,nullable]', '[nullable, object]', '[default:  7 ]',
             '[default: null]']
DESCRIPTIONS = ['desc', 'A longer description', '', 'trailing   ', 'with | pipe', '\u00fcn\u00ef', 'x  y']
READMES = ['# C\n\n## Parameters\n\n## Next\n', '# C\n\n## Parameters\n',
           '# C\n\n## Parameters\n\n| a |\n| - |\n\ntext\n\n## N\n', '# C\r\n\r\n## Parameters\r\n\r\nold\r\n',
           '## Parameters', '# C\n\n### Parameters\n\nprose\n\n## Up\n\n### Down\n']


def value(depth):
    r = rnd.random()
    if depth > 2 or r < 0.45:
        return ('scalar', rnd.choice(SCALARS))
    size = rnd.randint(0, 3)
    if r < 0.6:
        if rnd.random() < 0.5:
            return ('list', [('scalar', rnd.choice(['a', 'b c', '"q"', 'd'])) for _ in range(size)])
        return ('list', [value(depth + 1) for _ in range(size)])
    return ('map', [(key, value(depth + 1)) for key in rnd.sample(KEYS, size)])


def emit(node, indent, out):
    pad = '  ' * indent
    kind, items = node
    for item in items:
        key, child = item if kind == 'map' else (None, item)
        lead = f'{pad}{key}:' if kind == 'map' else f'{pad}-'
        if child[0] == 'scalar':
            out.append(f'{lead} {child[1]}'.rstrip())
        elif not child[1]:
            out.append(f"{lead} {'{}' if child[0] == 'map' else '[]'}")
        elif kind == 'list' and child[0] == 'map':
            sub = []
            emit(child, indent + 1, sub)
            sub[0] = f'{pad}- {sub[0].lstrip()}'
            out.extend(sub)
        else:
            out.append(lead)
            emit(child, indent + 1, out)


def leaves(node, path, out):
    kind, items = node
    if kind == 'scalar' or not items:
        out.append(path)
    elif kind == 'map':
        for key, child in items:
            leaves(child, f'{path}.{key}' if path else key, out)
    else:
        for i, child in enumerate(items):
            leaves(child, f'{path}[{i}]', out)


for number in range(count):
    root = ('map', [(key, value(1)) for key in rnd.sample(KEYS, rnd.randint(1, 5))])
    body, names, metadata = [], [], []
    emit(root, 0, body)
    leaves(root, '', names)
    for name in names:
        if rnd.random() < 0.2:
            metadata.append(f"## @section {rnd.choice(['S1', 'Section two', '', 'S3   '])}")
        if rnd.random() < 0.05:
            metadata.append(f'## @extra {name}.extra {rnd.choice(DESCRIPTIONS)}')
        modifier = rnd.choice(MODIFIERS) if '[' not in name else ''
        metadata.append(f'## @param {name} {modifier} {rnd.choice(DESCRIPTIONS)}'.replace('  ', ' ', 1))
    if rnd.random() < 0.3:
        metadata[:0] = ['## @section First', '## @descriptionStart Some text', '## @descriptionEnd']
    directory = os.path.join(base, f'fuzz_{seed}_{number:03d}')
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, 'values.yaml'), 'w', encoding='utf-8') as out:
        out.write('\n'.join(metadata + body) + '\n')
    with open(os.path.join(directory, 'README.in.md'), 'w', encoding='utf-8', newline='') as out:
        out.write(rnd.choice(READMES))
PY

"$cases/make-golden.sh" $(cd "$cases" && ls -d fuzz_"$seed"_*) 2>/dev/null
# Missing expected-cozy-error.txt files are expected here; every other report is a difference.
report=$(cd "$root" && cargo test -q -p cozy-cli --lib values::bitnami::tests::conformance 2>&1 || true)
differences=$(printf '%s\n' "$report" | grep -E '^fuzz_' | grep -v 'expected-cozy-error.txt says None' || true)
if [ -n "$differences" ]; then
  printf '%s\n' "$report" | sed -n '/^fuzz_/,$p' | grep -v 'expected-cozy-error.txt says None'
  exit 1
fi
echo "fuzz seed $seed: $count cases, no differences" >&2
