"""The commented starter configuration `stridescan init` writes; a test loads it through the
real validator so it can never drift from the schema."""

from __future__ import annotations

STARTER_CONFIG = """\
# stridescan configuration: https://github.com/stridescan/stridescan#configuration
# yaml-language-server: $schema=https://raw.githubusercontent.com/stridescan/stridescan/main/schemas/config.schema.json
#
# Command-line options win over this file: --select replaces select and ignore;
# --ignore and --exclude add to the lists here; --fail-on replaces fail-on.

# Rules to run (default: all): a rule code (E001), a slug (privileged-container), a STRIDE
# letter (E) or name (elevation-of-privilege), a severity (high), a benchmark
# (pss-baseline, pss-restricted, cis-docker, nsa-k8s) or all.
select:
  - all

# Rules not to run, in the same terms.
ignore: []

# Per-rule severity overrides: rule code or slug -> low, medium, high or critical.
severity: {}
#  no-pids-limit: low

# Rules not reported for some paths (globs relative to this file's directory).
per-path-ignores: {}
#  "examples/**": [runs-as-root]

# Paths not scanned at all (globs; a pattern without / matches file names).
exclude: []
#  - "test/fixtures/**"

# The lowest severity that makes `stridescan scan` exit 1.
fail-on: low

# Whether a file that cannot be scanned makes the exit code 1.
fail-on-parse-error: true

# Report `# stridescan: ignore[...]` comments that give no reason, or silence nothing.
require-suppression-reason: false
report-unused-suppressions: false

# Report only findings not recorded here (`stridescan baseline create -o FILE`).
# baseline: .stridescan-baseline.json

# Options of the rules that have them, by code or slug; `stridescan explain CODE` lists
# each rule's options, their types and defaults.
rule-options: {}
#  dangerous-capability-added:
#    allowed: [NET_ADMIN]
#  secret-in-environment:
#    extra-names: [PIN, PASSPHRASE]
#    ignore-names: ["PUBLIC_.*_KEY"]
#  image-not-pinned-by-digest:
#    trusted-registries: [registry.example.com]
"""
