//! `cozy dashboards update [--check]`.

use std::time::Duration;

use anyhow::Context as _;

use crate::chart_repo::Client;
use crate::cli::DashboardsUpdateArgs;
use crate::context::Ctx;
use crate::dashboards::{self, Dashboards};
use crate::error::{Failure, Outcome};
use crate::{env, fsx};

/// Fetches and edits every dashboard; a failing one does not stop the others.
pub(super) fn update(ctx: &Ctx, args: &DashboardsUpdateArgs) -> anyhow::Result<Outcome> {
    let workspace = ctx.workspace()?;
    let dir = workspace.root().join("dashboards");
    let list_path = dir.join("dashboards.toml");
    let text = fsx::read_to_string(&list_path)?;
    let list = Dashboards::parse(&text)
        .map_err(|err| Failure::new(err.at("dashboards/dashboards.toml")))?;
    let delay = env::var(env::HTTP_RETRY_DELAY_MS).and_then(|ms| ms.parse().ok()).unwrap_or(500);
    let client = Client::new(3, Duration::from_millis(delay), None).map_err(Failure::new)?;
    let (mut stale, mut failed) = (0usize, 0usize);
    for dashboard in &list.dashboards {
        let shown = format!("dashboards/{}", dashboard.dest);
        let result = (|| -> anyhow::Result<Option<String>> {
            let url = reqwest::Url::parse(&dashboard.url)
                .map_err(|err| Failure::new(format!("`{}`: {err}", dashboard.url)))?;
            let body = client.get(&url).map_err(Failure::new)?;
            let new = dashboards::apply(&String::from_utf8_lossy(&body), &dashboard.edits)
                .map_err(|err| Failure::new(format!("{}: {err}", dashboard.url)))?;
            let path = crate::graph::normalize(&dir.join(&dashboard.dest));
            if !path.starts_with(&dir) {
                return Err(
                    Failure::new(format!("`{}` is outside dashboards/", dashboard.dest)).into()
                );
            }
            let old = std::fs::read_to_string(&path).unwrap_or_default();
            if old == new {
                return Ok(None);
            }
            if args.check {
                return Ok(Some(ctx.printer.diff(&shown, &old, &new)));
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create `{}`", parent.display()))?;
            }
            fsx::write_atomic(&path, new.as_bytes())?;
            ctx.printer.status(&format!("wrote {shown}"));
            Ok(None)
        })();
        match result {
            Ok(Some(diff)) => {
                stale += 1;
                ctx.printer.stdout(&diff)?;
            }
            Ok(None) => {}
            Err(err) => {
                failed += 1;
                ctx.printer.error(&err.context(format!("{shown} was not updated")));
            }
        }
    }
    if failed > 0 {
        return Err(Failure::new(format!(
            "{failed} of {} dashboards failed",
            list.dashboards.len()
        ))
        .into());
    }
    Ok(if stale > 0 { Outcome::Findings } else { Outcome::Done })
}
