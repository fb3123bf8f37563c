# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cozy_global_optspecs
    string join \n C= v/verbose q/quiet dry-run color= h/help V/version
end

function __fish_cozy_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cozy_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cozy_using_subcommand
    set -l cmd (__fish_cozy_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cozy -n "__fish_cozy_needs_command" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_needs_command" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_needs_command" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_needs_command" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_needs_command" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_needs_command" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_needs_command" -f -a "pkg" -d 'Work with packages: list, update, image, show, diff, apply, …'
complete -c cozy -n "__fish_cozy_needs_command" -f -a "generate" -d 'Write README `## Parameters` tables and values.schema.json from annotated values.yaml'
complete -c cozy -n "__fish_cozy_needs_command" -f -a "dashboards" -d 'Refresh the Grafana dashboards listed in `dashboards/dashboards.toml`'
complete -c cozy -n "__fish_cozy_needs_command" -f -a "talos" -d 'Build, verify and publish Talos boot assets and installer images (packages/core/talos)'
complete -c cozy -n "__fish_cozy_needs_command" -f -a "builder" -d 'Manage remote BuildKit builders for `pkg image` and Talos builds'
complete -c cozy -n "__fish_cozy_needs_command" -f -a "schema" -d 'Print the JSON Schema of `cozy.toml` (or, with `--talos`, of `talos.toml`)'
complete -c cozy -n "__fish_cozy_needs_command" -f -a "completions" -d 'Print a shell completion script: `cozy completions bash > /etc/bash_completion.d/cozy`'
complete -c cozy -n "__fish_cozy_needs_command" -f -a "__post-render" -d 'Helm post-renderer: add Flux\'s labels to the manifests on stdin (used by `pkg apply`)'
complete -c cozy -n "__fish_cozy_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "list" -d 'List packages with their kind, release identity and chart version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "update" -d 'Run the packages\' declared `[[update.step]]`s: fetch upstream charts and sources, edit, patch. A package changes only when all its steps succeed'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "show" -d 'Render the release as Flux would install it: `helm template` with the HelmRelease\'s values and Flux\'s labels (`--plain`: the package alone, no cluster)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "diff" -d 'Show what an apply would change: against the installed release (default), or between two git revisions with `--rev A[..B]` and no cluster at all'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "apply" -d 'Install or upgrade the release: suspend its HelmRelease, then `helm upgrade --install` with the HelmRelease\'s values and Flux\'s labels'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "suspend" -d 'Suspend the HelmRelease, so Flux stops reconciling it'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "resume" -d 'Resume the HelmRelease, handing the release back to Flux'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "delete" -d 'Suspend the HelmRelease and uninstall the Helm release (the HelmRelease stays)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "status" -d 'Show each HelmRelease\'s suspend flag and Ready condition'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "new" -d 'Start a package from a template in `templates/`: `cozy pkg new apps/cache`'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "image" -d 'Build the packages\' `[[image]]`s with `docker buildx` and write the new references back'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "lint" -d 'Check the manifests: one producer per image reference, write-backs only to the allowed shapes. Exit 1 when something is wrong'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "migrate" -d 'Write `cozy.toml` from the package\'s Makefile and report every recipe line it could not express. Exit 1 when a package is only partly (or not) migrated'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and not __fish_seen_subcommand_from list update show diff apply suspend resume delete status new image lint migrate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'An aligned table for people'
json\t'A JSON array of objects for scripts'
paths\t'A one-line JSON array of package paths (a CI build matrix, `[]` when empty)'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -l for -d 'Only packages that a verb would act on: `image` (packages with `[[image]]` and `[build] ci = true`, in `[build] units` order), `update`, `generate`' -r -f -a "image\t'`cozy pkg image`'
update\t'`cozy pkg update`'
generate\t'`cozy generate`'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -l max-archive-size -d 'Refuse archives larger than this many bytes once decompressed' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -l locked -d 'Fetch exactly the sources recorded in each package\'s cozy.lock (and check their sha256)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l name -d 'Release name (required for apps, which are instantiated per tenant)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l namespace -d 'Release namespace (required for apps)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l kubeconfig -d 'kubeconfig file for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l context -d 'kube context for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -s j -l jobs -d 'How many packages to work on at once' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -s f -l values -d 'Extra values files, merged last' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l set -d 'Extra `--set` values for helm' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l kube-version -d 'Kubernetes version to render against (default: the cluster\'s, or `[render] kube_version`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l api-versions -d 'API versions to render against (default: the cluster\'s, or `[render] api_versions`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -s s -l show-only -d 'Only templates matching this glob (`templates/deployment.yaml`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l plain -d 'Render from the package alone: no HelmRelease, no cluster, no Flux labels'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l name -d 'Release name (required for apps, which are instantiated per tenant)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l namespace -d 'Release namespace (required for apps)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l kubeconfig -d 'kubeconfig file for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l context -d 'kube context for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -s j -l jobs -d 'How many packages to work on at once' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -s f -l values -d 'Extra values files, merged last' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l set -d 'Extra `--set` values for helm' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l kube-version -d 'Kubernetes version to render against (default: the cluster\'s, or `[render] kube_version`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l api-versions -d 'API versions to render against (default: the cluster\'s, or `[render] api_versions`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l rev -d 'Compare renders of two git revisions: `A..B`, or `A` for A against the working tree' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -s U -l unified -d 'Lines of context around changes, as `diff -U`; -1 shows whole objects' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -s o -l output -d 'Output format' -r -f -a "text\t'helm-diff style report with unified diffs'
json\t'A JSON array of `{package, key, change, diff}`'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l plain -d 'Render from the package alone: no HelmRelease, no cluster, no Flux labels'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l show-secrets -d 'Show Secret data instead of its digests'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l name -d 'Release name (required for apps, which are instantiated per tenant)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l namespace -d 'Release namespace (required for apps)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l kubeconfig -d 'kubeconfig file for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l context -d 'kube context for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -s j -l jobs -d 'How many packages to work on at once' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -s f -l values -d 'Extra values files, merged last' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l set -d 'Extra `--set` values for helm' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l kube-version -d 'Kubernetes version to render against (default: the cluster\'s, or `[render] kube_version`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l api-versions -d 'API versions to render against (default: the cluster\'s, or `[render] api_versions`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l plain -d 'Render from the package alone: no HelmRelease, no cluster, no Flux labels'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l resume -d 'Resume the HelmRelease afterwards (otherwise it stays suspended)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l take-ownership -d 'Let helm adopt existing objects (`--take-ownership`)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -s y -l yes -d 'Act without confirmation: skip the guards on the kube context and non-interactive runs'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -l name -d 'Release name (required for apps, which are instantiated per tenant)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -l namespace -d 'Release namespace (required for apps)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -l kubeconfig -d 'kubeconfig file for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -l context -d 'kube context for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -s j -l jobs -d 'How many packages to work on at once' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from suspend" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -l name -d 'Release name (required for apps, which are instantiated per tenant)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -l namespace -d 'Release namespace (required for apps)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -l kubeconfig -d 'kubeconfig file for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -l context -d 'kube context for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -s j -l jobs -d 'How many packages to work on at once' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from resume" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -l name -d 'Release name (required for apps, which are instantiated per tenant)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -l namespace -d 'Release namespace (required for apps)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -l kubeconfig -d 'kubeconfig file for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -l context -d 'kube context for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -s j -l jobs -d 'How many packages to work on at once' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -l name -d 'Release name (required for apps, which are instantiated per tenant)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -l namespace -d 'Release namespace (required for apps)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -l kubeconfig -d 'kubeconfig file for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -l context -d 'kube context for kubectl' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -s j -l jobs -d 'How many packages to work on at once' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from new" -l template -d 'Template directory under `templates/` (default: `app` for apps and extra, else `system`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from new" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from new" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from new" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from new" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from new" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from new" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from new" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l registry -d 'Image repository prefix (`REGISTRY`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l tag -d 'The tag to push (`IMAGE_TAG`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l builder -d 'buildx builder (`BUILDER`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l platform -d 'Target platforms (`PLATFORM`), e.g. `linux/amd64,linux/arm64`' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l cozystack-version -d 'The platform version (`COZYSTACK_VERSION`; default from `git describe`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l push -d 'Push the image (`PUSH=1`)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l no-push -d 'Do not push the image (`PUSH=0`)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l load -d 'Load the image into the local docker (`LOAD=1`)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from image" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from lint" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -l force -d 'Overwrite an existing `cozy.toml` (without it, an existing file is left alone)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from migrate" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "list" -d 'List packages with their kind, release identity and chart version'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "update" -d 'Run the packages\' declared `[[update.step]]`s: fetch upstream charts and sources, edit, patch. A package changes only when all its steps succeed'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "show" -d 'Render the release as Flux would install it: `helm template` with the HelmRelease\'s values and Flux\'s labels (`--plain`: the package alone, no cluster)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Show what an apply would change: against the installed release (default), or between two git revisions with `--rev A[..B]` and no cluster at all'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "apply" -d 'Install or upgrade the release: suspend its HelmRelease, then `helm upgrade --install` with the HelmRelease\'s values and Flux\'s labels'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "suspend" -d 'Suspend the HelmRelease, so Flux stops reconciling it'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Resume the HelmRelease, handing the release back to Flux'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Suspend the HelmRelease and uninstall the Helm release (the HelmRelease stays)'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show each HelmRelease\'s suspend flag and Ready condition'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "new" -d 'Start a package from a template in `templates/`: `cozy pkg new apps/cache`'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "image" -d 'Build the packages\' `[[image]]`s with `docker buildx` and write the new references back'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "lint" -d 'Check the manifests: one producer per image reference, write-backs only to the allowed shapes. Exit 1 when something is wrong'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Write `cozy.toml` from the package\'s Makefile and report every recipe line it could not express. Exit 1 when a package is only partly (or not) migrated'
complete -c cozy -n "__fish_cozy_using_subcommand pkg; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l kind -d 'Only packages of this kind (the directory under `packages/`); repeatable' -r
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l changed-since -d 'Packages with files changed since the merge base with REF (plus uncommitted and untracked files), and every package that depends on them' -r
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l dialect -d 'Annotation dialect, instead of detecting it from values.yaml' -r -f -a "cozyvalues\t'cozyvalues-gen: `## @param {type} name - description`'
bitnami\t'bitnami readme-generator: `## @param a.b description`'"
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l values -d 'Standalone: the annotated values file (`-v` in this command)' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand generate" -s s -l schema -d 'Standalone: write values.schema.json here' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand generate" -s r -l readme -d 'Standalone: update the Parameters section of this README' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand generate" -s g -l go-types -d 'Standalone: write Go types here (cozyvalues dialect)' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand generate" -s m -l module -d 'Standalone: Go package name for `-g`' -r
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l group-name -d 'Standalone: API group in the `-g` header marker' -r
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l version-name -d 'Standalone: API version in the `-g` header marker' -r
complete -c cozy -n "__fish_cozy_using_subcommand generate" -s c -l config -d 'Standalone: readme-generator config.json (bitnami dialect)' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand generate" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l all -d 'Select every package'
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l committed -d 'With `--changed-since`: only committed changes'
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l check -d 'Write nothing: print a diff of every file that would change; exit 1 if any would'
complete -c cozy -n "__fish_cozy_using_subcommand generate" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand generate" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand generate" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand generate" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and not __fish_seen_subcommand_from update help" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and not __fish_seen_subcommand_from update help" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and not __fish_seen_subcommand_from update help" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and not __fish_seen_subcommand_from update help" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and not __fish_seen_subcommand_from update help" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and not __fish_seen_subcommand_from update help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and not __fish_seen_subcommand_from update help" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and not __fish_seen_subcommand_from update help" -f -a "update" -d 'Fetch every dashboard, apply its edits, write pretty-printed JSON'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and not __fish_seen_subcommand_from update help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and __fish_seen_subcommand_from update" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and __fish_seen_subcommand_from update" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and __fish_seen_subcommand_from update" -l check -d 'Write nothing: print a diff of every dashboard that would change; exit 1 if any would'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and __fish_seen_subcommand_from update" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and __fish_seen_subcommand_from help" -f -a "update" -d 'Fetch every dashboard, apply its edits, write pretty-printed JSON'
complete -c cozy -n "__fish_cozy_using_subcommand dashboards; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -f -a "update" -d 'Resolve extension references from the extensions image\'s `/image-digests` and write `talos.lock` (and, with `--write-profiles`, the checked-in imager profiles)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -f -a "render" -d 'Print the imager profile of one (arch, variant, kind); pure, no network'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -f -a "build" -d 'Run the Talos imager for every selected (arch, variant, kind) and lay the assets out under `_out/assets/talos/<arch>/<variant>/` with checksums and a build report'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -f -a "verify" -d 'Check built units natively: layout, checksums, kernel architecture, extensions'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -f -a "inspect" -d 'Look inside an image without a container: docker-archive:, oci-archive:, oci:, docker://'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -f -a "push" -d 'Push the installer images of built units with skopeo (REGISTRY, IMAGE_TAG, PUBLISH_*, OCI_EXPORT_DIR); without `--arch`, the architectures whose installer was built'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -f -a "matchbox" -d 'Build and push the matchbox PXE image of built units with docker buildx (REGISTRY, IMAGE_TAG, BUILDER)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -f -a "lock" -d 'Print the lock as shell variables: `TALOS_VERSION=…` and `<NAME>_IMAGE=…` lines'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and not __fish_seen_subcommand_from update render build verify inspect push matchbox lock help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -l talos-version -d 'Resolve this Talos version instead of `[talos] version`' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -l insecure-registry -d 'Allow plain HTTP to this registry host (loopback hosts always are)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -l latest -d 'Resolve the newest `vX.Y.Z` tag of the imager'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -l write-profiles -d 'Also write `images/talos/profiles/<kind>.yaml` for (amd64, default)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -l pin-tools -d 'Pin the imager by digest in the lock'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -l check -d 'Write nothing; exit 1 if the lock or a checked-in profile would change'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from render" -l arch -d 'The architecture: amd64 or arm64' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from render" -l variant -d 'The variant (or an alias)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from render" -l kind -d 'The kind: initramfs, kernel, iso, installer, metal, nocloud, openstack' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from render" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from render" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from render" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from render" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from render" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from render" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -l arch -d 'Architectures, comma-separated (default: `[build] arches`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -l variant -d 'Variants or aliases, comma-separated, or `all` (default: `default`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -l kind -d 'Kinds, comma-separated, or `all` (default: `[build] kinds`, or the variant\'s own)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -s j -l jobs -d 'Units built at the same time (each image kind needs ~1.3 GB of scratch)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -s o -l output -d '`json`: one object per unit on stdout (unit, arch, variant, status, built, reused, dropped, path, error), for CI; the summary table goes to stderr either way' -r -f -a "table\t'The summary table on stderr only'
json\t'Also a JSON array on stdout'"
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -l force -d 'Rebuild kinds whose profile and imager did not change'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -l fail-fast -d 'Stop at the first failed unit'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from build" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from verify" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from verify" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from verify" -l deep -d 'Also decompress the disk images (the xz stream check); the ISO 9660 signature is always checked'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from verify" -l against-config -d 'Re-render the profiles from the current talos.toml and talos.lock and report drift'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from verify" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -l platform -d 'Platform to pick from an index (default: linux/amd64)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -l cat -d 'Print one file of the merged filesystem' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -l insecure-registry -d 'Allow plain HTTP to this registry host (loopback hosts always are)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -l list -d 'List the merged filesystem: `type size path` per line, sorted; type is f (file), d (directory), l (symlink), h (hard link), c/b (devices) or p (FIFO)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -l export -d 'Write the merged filesystem as a tar to stdout (like `crane export`)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -l config -d 'Print the image config JSON'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -l talos -d 'Check a Talos installer: config, boot files, kernel arch, extensions'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -l arch -d 'Architectures, comma-separated (default: `[build] arches`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -l variant -d 'Variants or aliases, comma-separated, or `all` (default: `default`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -l registry -d 'Image repository prefix (`REGISTRY`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -l tag -d 'The tag to push (`IMAGE_TAG`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -l insecure-registry -d 'Allow plain HTTP to this registry host (loopback hosts always are)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from push" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -l arch -d 'Architectures, comma-separated (default: `[build] arches`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -l variant -d 'Variants or aliases, comma-separated, or `all` (default: `default`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -l registry -d 'Image repository prefix (`REGISTRY`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -l tag -d 'The tag to push (`IMAGE_TAG`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -l builder -d 'buildx builder (`BUILDER`)' -r
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from matchbox" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from lock" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from lock" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from lock" -l print-env -d 'Print `TALOS_VERSION=` and `<NAME>_IMAGE=` lines'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from lock" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from lock" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from lock" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from lock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from lock" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from help" -f -a "update" -d 'Resolve extension references from the extensions image\'s `/image-digests` and write `talos.lock` (and, with `--write-profiles`, the checked-in imager profiles)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from help" -f -a "render" -d 'Print the imager profile of one (arch, variant, kind); pure, no network'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from help" -f -a "build" -d 'Run the Talos imager for every selected (arch, variant, kind) and lay the assets out under `_out/assets/talos/<arch>/<variant>/` with checksums and a build report'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check built units natively: layout, checksums, kernel architecture, extensions'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Look inside an image without a container: docker-archive:, oci-archive:, oci:, docker://'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from help" -f -a "push" -d 'Push the installer images of built units with skopeo (REGISTRY, IMAGE_TAG, PUBLISH_*, OCI_EXPORT_DIR); without `--arch`, the architectures whose installer was built'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from help" -f -a "matchbox" -d 'Build and push the matchbox PXE image of built units with docker buildx (REGISTRY, IMAGE_TAG, BUILDER)'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from help" -f -a "lock" -d 'Print the lock as shell variables: `TALOS_VERSION=…` and `<NAME>_IMAGE=…` lines'
complete -c cozy -n "__fish_cozy_using_subcommand talos; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and not __fish_seen_subcommand_from create help" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand builder; and not __fish_seen_subcommand_from create help" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand builder; and not __fish_seen_subcommand_from create help" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and not __fish_seen_subcommand_from create help" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and not __fish_seen_subcommand_from create help" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and not __fish_seen_subcommand_from create help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and not __fish_seen_subcommand_from create help" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and not __fish_seen_subcommand_from create help" -f -a "create" -d 'Create a buildx builder (`docker buildx create`), e.g. BuildKit pods in a Kubernetes cluster with the kubernetes driver; use it with `--builder NAME` or `BUILDER=NAME`'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and not __fish_seen_subcommand_from create help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -l name -d 'Builder name' -r
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -l driver -d 'buildx driver' -r
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -l namespace -d 'Namespace of the BuildKit pods (kubernetes driver)' -r
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -l replicas -d 'Number of BuildKit pods (kubernetes driver)' -r
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -l platform -d 'Platforms the builder serves, e.g. `linux/amd64,linux/arm64`' -r
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -l use -d 'Make it the default builder (`docker buildx create --use`)'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a buildx builder (`docker buildx create`), e.g. BuildKit pods in a Kubernetes cluster with the kubernetes driver; use it with `--builder NAME` or `BUILDER=NAME`'
complete -c cozy -n "__fish_cozy_using_subcommand builder; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cozy -n "__fish_cozy_using_subcommand schema" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand schema" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand schema" -l workspace -d 'Print the schema of the root `cozy.toml` (the one with `[workspace]`) instead of a package\'s'
complete -c cozy -n "__fish_cozy_using_subcommand schema" -l talos -d 'Print the schema of `packages/core/talos/talos.toml` (Talos builds) instead of a package\'s'
complete -c cozy -n "__fish_cozy_using_subcommand schema" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand schema" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand schema" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand schema" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand completions" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand completions" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand completions" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand completions" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand completions" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand completions" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand __post-render" -l name -d 'HelmRelease name' -r
complete -c cozy -n "__fish_cozy_using_subcommand __post-render" -l namespace -d 'HelmRelease namespace' -r
complete -c cozy -n "__fish_cozy_using_subcommand __post-render" -s C -d 'Run as if cozy was started in DIR' -r -F
complete -c cozy -n "__fish_cozy_using_subcommand __post-render" -l color -d 'When to use color' -r -f -a "auto\t'Color when writing to a terminal, unless `NO_COLOR` is set'
always\t'Always color'
never\t'Never color'"
complete -c cozy -n "__fish_cozy_using_subcommand __post-render" -s v -l verbose -d 'Echo every external command before it runs (`-vv`: also debug lines)'
complete -c cozy -n "__fish_cozy_using_subcommand __post-render" -s q -l quiet -d 'Print only errors on stderr'
complete -c cozy -n "__fish_cozy_using_subcommand __post-render" -l dry-run -d 'Print the commands that would change a cluster, a registry or files instead of running them'
complete -c cozy -n "__fish_cozy_using_subcommand __post-render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cozy -n "__fish_cozy_using_subcommand __post-render" -s V -l version -d 'Print version'
complete -c cozy -n "__fish_cozy_using_subcommand help; and not __fish_seen_subcommand_from pkg generate dashboards talos builder schema completions __post-render help" -f -a "pkg" -d 'Work with packages: list, update, image, show, diff, apply, …'
complete -c cozy -n "__fish_cozy_using_subcommand help; and not __fish_seen_subcommand_from pkg generate dashboards talos builder schema completions __post-render help" -f -a "generate" -d 'Write README `## Parameters` tables and values.schema.json from annotated values.yaml'
complete -c cozy -n "__fish_cozy_using_subcommand help; and not __fish_seen_subcommand_from pkg generate dashboards talos builder schema completions __post-render help" -f -a "dashboards" -d 'Refresh the Grafana dashboards listed in `dashboards/dashboards.toml`'
complete -c cozy -n "__fish_cozy_using_subcommand help; and not __fish_seen_subcommand_from pkg generate dashboards talos builder schema completions __post-render help" -f -a "talos" -d 'Build, verify and publish Talos boot assets and installer images (packages/core/talos)'
complete -c cozy -n "__fish_cozy_using_subcommand help; and not __fish_seen_subcommand_from pkg generate dashboards talos builder schema completions __post-render help" -f -a "builder" -d 'Manage remote BuildKit builders for `pkg image` and Talos builds'
complete -c cozy -n "__fish_cozy_using_subcommand help; and not __fish_seen_subcommand_from pkg generate dashboards talos builder schema completions __post-render help" -f -a "schema" -d 'Print the JSON Schema of `cozy.toml` (or, with `--talos`, of `talos.toml`)'
complete -c cozy -n "__fish_cozy_using_subcommand help; and not __fish_seen_subcommand_from pkg generate dashboards talos builder schema completions __post-render help" -f -a "completions" -d 'Print a shell completion script: `cozy completions bash > /etc/bash_completion.d/cozy`'
complete -c cozy -n "__fish_cozy_using_subcommand help; and not __fish_seen_subcommand_from pkg generate dashboards talos builder schema completions __post-render help" -f -a "__post-render" -d 'Helm post-renderer: add Flux\'s labels to the manifests on stdin (used by `pkg apply`)'
complete -c cozy -n "__fish_cozy_using_subcommand help; and not __fish_seen_subcommand_from pkg generate dashboards talos builder schema completions __post-render help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "list" -d 'List packages with their kind, release identity and chart version'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "update" -d 'Run the packages\' declared `[[update.step]]`s: fetch upstream charts and sources, edit, patch. A package changes only when all its steps succeed'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "show" -d 'Render the release as Flux would install it: `helm template` with the HelmRelease\'s values and Flux\'s labels (`--plain`: the package alone, no cluster)'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "diff" -d 'Show what an apply would change: against the installed release (default), or between two git revisions with `--rev A[..B]` and no cluster at all'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "apply" -d 'Install or upgrade the release: suspend its HelmRelease, then `helm upgrade --install` with the HelmRelease\'s values and Flux\'s labels'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "suspend" -d 'Suspend the HelmRelease, so Flux stops reconciling it'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "resume" -d 'Resume the HelmRelease, handing the release back to Flux'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "delete" -d 'Suspend the HelmRelease and uninstall the Helm release (the HelmRelease stays)'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "status" -d 'Show each HelmRelease\'s suspend flag and Ready condition'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "new" -d 'Start a package from a template in `templates/`: `cozy pkg new apps/cache`'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "image" -d 'Build the packages\' `[[image]]`s with `docker buildx` and write the new references back'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "lint" -d 'Check the manifests: one producer per image reference, write-backs only to the allowed shapes. Exit 1 when something is wrong'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from pkg" -f -a "migrate" -d 'Write `cozy.toml` from the package\'s Makefile and report every recipe line it could not express. Exit 1 when a package is only partly (or not) migrated'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from dashboards" -f -a "update" -d 'Fetch every dashboard, apply its edits, write pretty-printed JSON'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from talos" -f -a "update" -d 'Resolve extension references from the extensions image\'s `/image-digests` and write `talos.lock` (and, with `--write-profiles`, the checked-in imager profiles)'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from talos" -f -a "render" -d 'Print the imager profile of one (arch, variant, kind); pure, no network'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from talos" -f -a "build" -d 'Run the Talos imager for every selected (arch, variant, kind) and lay the assets out under `_out/assets/talos/<arch>/<variant>/` with checksums and a build report'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from talos" -f -a "verify" -d 'Check built units natively: layout, checksums, kernel architecture, extensions'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from talos" -f -a "inspect" -d 'Look inside an image without a container: docker-archive:, oci-archive:, oci:, docker://'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from talos" -f -a "push" -d 'Push the installer images of built units with skopeo (REGISTRY, IMAGE_TAG, PUBLISH_*, OCI_EXPORT_DIR); without `--arch`, the architectures whose installer was built'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from talos" -f -a "matchbox" -d 'Build and push the matchbox PXE image of built units with docker buildx (REGISTRY, IMAGE_TAG, BUILDER)'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from talos" -f -a "lock" -d 'Print the lock as shell variables: `TALOS_VERSION=…` and `<NAME>_IMAGE=…` lines'
complete -c cozy -n "__fish_cozy_using_subcommand help; and __fish_seen_subcommand_from builder" -f -a "create" -d 'Create a buildx builder (`docker buildx create`), e.g. BuildKit pods in a Kubernetes cluster with the kubernetes driver; use it with `--builder NAME` or `BUILDER=NAME`'
