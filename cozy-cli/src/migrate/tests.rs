//! Unit tests of the migration: one per recognised shape, and the leftovers.

use super::*;
use crate::manifest::{CacheMode, Image, Step, Verb, VersionSource, Write};

const SYSTEM: &str = r#"CILIUM_TAG=$(shell awk '$$1 == "version:" {print $$2}' charts/cilium/Chart.yaml)

export NAME=cilium
export NAMESPACE=cozy-$(NAME)

include ../../../hack/common-envs.mk
include ../../../hack/package.mk

update:
	rm -rf charts
	helm repo add cilium https://helm.cilium.io/
	helm repo update cilium
	helm pull cilium/cilium --untar --untardir charts --version 1.19
	rm -rf charts/cilium/charts/sub
	$(SED_INPLACE) -e '/Used in iptables/d' -e '/SYS_MODULE/d' charts/cilium/values.yaml
	patch --forward --no-backup-if-mismatch -p1 < patches/startup.diff
	version=$$(awk '$$1 == "version:" {print $$2}' charts/cilium/Chart.yaml) && \
	$(SED_INPLACE) "s/ARG VERSION=.*/ARG VERSION=v$${version}/" images/cilium/Dockerfile

image:
	docker buildx build images/cilium \
		$(call image-tags,cilium,$(CILIUM_TAG)) \
		$(call cache-args,cilium) \
		--metadata-file images/cilium.json \
		$(BUILDX_ARGS)
	REPOSITORY="$(REGISTRY)/cilium" \
		yq -i '.cilium.image.repository = strenv(REPOSITORY)' values.yaml
	TAG=$(IMAGE_TAG) \
		yq -i '.cilium.image.tag = strenv(TAG)' values.yaml
	DIGEST=$$(yq e '."containerimage.digest"' images/cilium.json -o json -r) \
		yq -i '.cilium.image.digest = strenv(DIGEST)' values.yaml
	rm -f images/cilium.json

test:
	helm unittest .
"#;

fn pull(repo: &str, chart: &str) -> Step {
    Step::HelmPull {
        repo: Some(repo.into()),
        oci: None,
        chart: chart.into(),
        version: None,
        digest: None,
        dest: None,
        expect_version: None,
        remove: Vec::new(),
        clean: Vec::new(),
        as_var: None,
    }
}

fn steps(migration: &Migration) -> &[Step] {
    &migration.manifest.update.as_ref().unwrap().steps
}

#[test]
fn system_package_fully_migrates_and_round_trips() {
    let migration = migrate(SYSTEM);
    assert_eq!(migration.leftovers, []);
    assert_eq!(migration.coverage(), Coverage::Full);
    let text = migration.text().unwrap();
    assert!(text.starts_with(HEADER));
    let parsed = PackageManifest::parse(&text).unwrap();
    assert_eq!(parsed, migration.manifest);
    assert_eq!(migrate(SYSTEM).text().unwrap(), text);
}

#[test]
fn release_identity_from_name_and_namespace() {
    let release = migrate(SYSTEM).manifest.release.unwrap();
    assert_eq!(release.name.as_deref(), Some("cilium"));
    assert_eq!(release.namespace.as_deref(), Some("cozy-cilium"));
    assert_eq!(migrate("include ../../../hack/package.mk\n").manifest.release, None);
}

#[test]
fn helm_repo_pull_with_clean_remove_and_version() {
    let migration = migrate(SYSTEM);
    let Step::HelmPull { repo, chart, version, clean, remove, dest, .. } = &steps(&migration)[0]
    else {
        panic!("{:?}", steps(&migration));
    };
    assert_eq!(repo.as_deref(), Some("https://helm.cilium.io/"));
    assert_eq!(chart, "cilium");
    assert_eq!(version, &Some(VersionSource::Literal("1.19".into())));
    assert_eq!(clean, &["charts"]);
    assert_eq!(remove, &["charts/sub"]);
    assert_eq!(dest, &None);
}

#[test]
fn sed_deletes_patch_and_dockerfile_arg() {
    let migration = migrate(SYSTEM);
    let all = steps(&migration);
    assert!(matches!(&all[1], Step::Replace { file: Some(f), delete_lines, .. }
        if f == "charts/cilium/values.yaml" && delete_lines == &["Used in iptables", "SYS_MODULE"]));
    assert!(matches!(&all[2], Step::Patch { file: Some(f), strip: Some(1), forward: None, .. }
        if f == "patches/startup.diff"));
    assert_eq!(
        all[3],
        Step::DockerfileArg {
            file: "images/cilium/Dockerfile".into(),
            arg: "VERSION".into(),
            value: "v{var:cilium_version}".into()
        }
    );
    assert_eq!(all.len(), 4);
    assert_eq!(
        migration.manifest.vars["cilium_version"],
        VarSource::Chart { chart: "charts/cilium".into(), field: ChartField::Version }
    );
}

#[test]
fn standard_image_recipe_with_key_writes() {
    let migration = migrate(SYSTEM);
    let write = |key: &str, value: &str| Write::Key {
        file: "values.yaml".into(),
        key: key.into(),
        value: value.into(),
        create: None,
    };
    assert_eq!(
        migration.manifest.images,
        [Image {
            name: "cilium".into(),
            context: Some("images/cilium".into()),
            version_tag: Some("{var:cilium_version}".into()),
            write: vec![
                write("cilium.image.repository", "{repository}"),
                write("cilium.image.tag", "{tag}"),
                write("cilium.image.digest", "{digest}"),
            ],
            ..Image::default()
        }]
    );
    assert_eq!(migration.manifest.images[0].cache, None::<CacheMode>);
}

#[test]
fn root_context_ref_value_and_tag_file() {
    let migration = migrate(
        "image:\n\tdocker buildx build ../../.. -f images/api/Dockerfile --target api --build-arg VERSION=v$(COZYSTACK_VERSION) --platform=linux/amd64 $(call image-tags,cozystack-api,v$(COZYSTACK_VERSION)) $(call cache-args,cozystack-api) --metadata-file images/api.json $(BUILDX_ARGS)\n\tIMAGE=\"$(REGISTRY)/cozystack-api:$(IMAGE_TAG)@$$(yq e '.\"containerimage.digest\"' images/api.json -o json -r)\" yq -i '.cozystackAPI.image = strenv(IMAGE)' values.yaml\n\techo \"$(REGISTRY)/cozystack-api:$(IMAGE_TAG)@$$(yq e '.\"containerimage.digest\"' images/api.json -r -o json)\" > images/api.tag\n\trm -f images/api.json\n",
    );
    assert_eq!(migration.leftovers, []);
    let image = &migration.manifest.images[0];
    assert_eq!(image.context.as_deref(), Some("//"));
    assert_eq!(image.file.as_deref(), Some("images/api/Dockerfile"));
    assert_eq!(image.target.as_deref(), Some("api"));
    assert_eq!(image.platform, Some(crate::manifest::OneOrMany::One("linux/amd64".into())));
    assert_eq!(image.build_args["VERSION"], "v{cozystack_version}");
    assert_eq!(image.version_tag.as_deref(), Some("v{cozystack_version}"));
    assert_eq!(
        image.write,
        [
            Write::Key {
                file: "values.yaml".into(),
                key: "cozystackAPI.image".into(),
                value: "{ref}".into(),
                create: None
            },
            Write::Text { file: "images/api.tag".into(), text: "{ref}".into(), create: None },
        ]
    );
}

#[test]
fn oci_pull_generic_update_and_substitutions() {
    let migration = migrate(
        "update:\n\trm -rf charts && mkdir -p charts\n\thelm pull oci://ghcr.io/x/charts/op@sha256:abc --untar --untardir charts\n\tsed -i 's|namespace: cdi|namespace: cozy-cdi|g' charts/op/values.yaml\n\tsed -i 's/image: .*/image: x/' templates/a.yaml\n",
    );
    assert_eq!(migration.leftovers, []);
    let all = steps(&migration);
    assert!(matches!(&all[0], Step::HelmPull { oci: Some(o), digest: Some(d), chart, clean, .. }
        if o == "oci://ghcr.io/x/charts/op" && d == "sha256:abc" && chart == "op" && clean == &["charts"]));
    assert!(matches!(&all[1], Step::Replace { literal: Some(l), with: Some(w), regex: None, .. }
        if l == "namespace: cdi" && w == "namespace: cozy-cdi"));
    assert!(
        matches!(&all[2], Step::Replace { regex: Some(r), literal: None, .. } if r == "image: .*")
    );

    let generic = migrate(
        "export REPO_NAME=stakater\nexport REPO_URL=https://stakater.github.io/stakater-charts\nexport CHART_NAME=reloader\nexport CHART_VERSION=2.0.0\n\nupdate: clean reloader-update\n\tpatch --forward --no-backup-if-mismatch -p1 < patches/x.diff\n",
    );
    assert_eq!(generic.leftovers, []);
    let mut expected = pull("https://stakater.github.io/stakater-charts", "reloader");
    if let Step::HelmPull { version, clean, .. } = &mut expected {
        *version = Some(VersionSource::Literal("2.0.0".into()));
        *clean = vec!["charts".into()];
    }
    assert_eq!(steps(&generic)[0], expected);
}

#[test]
fn generate_variants_and_update_script() {
    let migration = migrate(
        "include ../../../hack/package.mk\n\ngenerate:\n\tcozyvalues-gen -m 'postgresql' -v values.yaml -s values.schema.json -r README.md -g ../../../api/apps/v1alpha1/postgresql/types.go\n\t../../../hack/update-crd.sh\n\nupdate:\n\thack/update-versions.sh\n\tmake generate\n\ntest:\n\thelm unittest .\n",
    );
    assert_eq!(migration.leftovers, []);
    let generate = migration.manifest.generate.as_ref().unwrap();
    assert_eq!(generate.module.as_deref(), Some("postgresql"));
    assert_eq!(generate.readme, Some(ReadmeSetting::Enabled(true)));
    assert_eq!(
        generate.go_types.as_deref(),
        Some("../../../api/apps/v1alpha1/postgresql/types.go")
    );
    assert!(generate.rd);
    let update = migration.manifest.update.as_ref().unwrap();
    assert_eq!(update.then, [Verb::Generate]);
    assert_eq!(
        update.steps,
        [Step::Run { argv: vec!["hack/update-versions.sh".into()], env: BTreeMap::new() }]
    );
    assert!(migration.manifest.test.as_ref().unwrap().unittest);

    let info = migrate(
        "generate:\n\tcozyvalues-gen -v values.yaml -s values.schema.json\n\tyq -o json -i '.properties = {}' values.schema.json\n",
    );
    let generate = info.manifest.generate.unwrap();
    assert_eq!(generate.readme, Some(ReadmeSetting::Enabled(false)));
    assert_eq!(
        generate.steps,
        [GenerateStep::JsonSet {
            file: "values.schema.json".into(),
            path: "properties".into(),
            value: serde_json::json!({})
        }]
    );
}

#[test]
fn test_delegate_and_scripts() {
    let migration = migrate(
        "test:\n\t$(MAKE) -C ../../tests/cozy-lib-tests test\n\tbash tests/render-parity.sh\n",
    );
    let test = migration.manifest.test.unwrap();
    assert_eq!(test.delegate.as_deref(), Some("../../tests/cozy-lib-tests"));
    assert_eq!(test.run, [vec!["bash".to_owned(), "tests/render-parity.sh".into()]]);
}

#[test]
fn noop_update_becomes_a_note() {
    let migration = migrate("update:\n\techo \"Nothing to update\"\n");
    assert_eq!(migration.manifest.update.unwrap().note.as_deref(), Some("Nothing to update"));
}

#[test]
fn leftovers_name_line_target_and_reason() {
    let migration = migrate(
        "export NAME=kamaji\ninclude ../other.mk\n\nupdate:\n\trm -rf charts\n\ttag=$$(git ls-remote --tags https://github.com/clastix/kamaji | awk -F'[/^]' 'END{print $$3}') && \\\n\tcurl -sSL https://x/$${tag}.tar.gz | tar -xzvf - --strip 1\n\tsed -i 's/\\(a\\)/\\1b/' x.yaml\n\nimage:\n\tdocker buildx build images/kamaji --tag $(REGISTRY)/kamaji:latest $(BUILDX_ARGS)\n\tyq -i '.kamaji.extraArgs[0] = \"--migrate-image=\" + .kamaji.image.repository' values.yaml\n\nclean-all:\n\trm -rf _out\n",
    );
    let lines: Vec<(usize, &str)> =
        migration.leftovers.iter().map(|l| (l.line, l.target.as_str())).collect();
    assert_eq!(
        lines,
        [(2, ""), (6, "update"), (8, "update"), (11, "image"), (12, "image"), (15, "clean-all")]
    );
    assert_eq!(migration.leftovers[1].reason, "`$$(git` has no manifest template");
    assert_eq!(migration.leftovers[2].reason, "sed replacement uses `&` or back-references");
    assert_eq!(
        migration.leftovers[5].to_string(),
        "15: [clean-all] `rm -rf _out`: target `clean-all` has no manifest equivalent"
    );
    assert_eq!(migration.coverage(), Coverage::Partial);
    assert_eq!(steps(&migration), [Step::Remove { paths: vec!["charts".into()] }]);
}

#[test]
fn nothing_expressible_is_not_migrated() {
    let migration = migrate("e2e:\n\tdocker run --rm x\n");
    assert_eq!(migration.coverage(), Coverage::None);
}

#[test]
fn unknown_alias_and_pull_without_untar() {
    let migration = migrate(
        "update:\n\thelm pull nope/x --untar\n\thelm repo add a https://a\n\thelm pull a/x\n",
    );
    let reasons: Vec<&str> = migration.leftovers.iter().map(|l| l.reason.as_str()).collect();
    assert_eq!(
        reasons,
        ["helm repo alias `nope` is not added in this recipe", "helm pull without `--untar`"]
    );
    let _ = pull("", "");
}

proptest::proptest! {
    #[test]
    fn never_panics_and_always_round_trips(text in "(\\PC|\t|\n|\\\\|\\$|\\(|\\)|:|=| |'|\"){0,200}") {
        let migration = migrate(&text);
        if let Ok(toml) = migration.text() {
            proptest::prop_assert!(PackageManifest::parse(&toml).is_ok(), "{toml}");
        }
    }

    #[test]
    fn recipe_lines_never_panic(line in "[a-z$(){}'\"|&<>=./ -]{0,80}") {
        for target in ["update", "image", "generate", "test"] {
            let _ = migrate(&format!("{target}:\n\t{line}\n"));
        }
    }
}
