//! ECS in infrastructure code: `AWS::ECS::TaskDefinition` (`ContainerDefinitions`) and
//! Terraform's `aws_ecs_task_definition` (`container_definitions`, JSON text). Each container's
//! environment is reduced to names on the spot, as the live collector does; the values go no
//! further. A task definition of the code is revision 1 of its family.

use super::evidence::{Container, EcsRegion, TaskDefinition};
use crate::evidence::{Fact, Unknown};
use crate::iac::source::{Converted, Res, Source};
use crate::iac::value::Val;
use crate::iac::{any_of, by_region};
use crate::services::lambda::iac::env_var;

const TASK_DEFINITIONS: &[&str] = &["AWS::ECS::TaskDefinition", "aws_ecs_task_definition"];

/// The ECS section from every task definition of the code.
pub(crate) fn convert(sources: &[Source], out: &mut Converted) {
    if !any_of(sources, TASK_DEFINITIONS) {
        return;
    }
    let section = by_region(
        sources,
        || EcsRegion {
            task_definitions: Fact::Known(Vec::new()),
        },
        |src, region| {
            let list: Vec<TaskDefinition> =
                src.of(TASK_DEFINITIONS).map(|r| task_definition(src, r, out)).collect();
            if let Fact::Known(l) = &mut region.task_definitions {
                l.extend(list);
            }
        },
    );
    out.services.ecs = Some(section);
}

/// One container definition, in CloudFormation's (`Name`, `Environment`) or the ECS API's
/// (`name`, `environment`) spelling, its environment reduced to names.
fn container(src: &Source, c: &Val, cfn: bool) -> Result<Container, Unknown> {
    let k = |cf: &'static str, api: &'static str| if cfn { cf } else { api };
    let name = c.get(k("Name", "name")).text("ContainerDefinitions.Name")?.unwrap_or_default();
    let mut environment = Vec::new();
    for e in c.get(k("Environment", "environment")).items("ContainerDefinitions.Environment")? {
        let Some(var) = e.get(k("Name", "name")).text("ContainerDefinitions.Environment.Name")? else {
            continue;
        };
        environment.push(env_var(src, &var, e.get(k("Value", "value")), "ContainerDefinitions.Environment")?);
    }
    environment.sort_by(|a, b| a.name.cmp(&b.name));
    let log = c.get(k("LogConfiguration", "logConfiguration"));
    Ok(Container {
        name,
        privileged: c.get(k("Privileged", "privileged")).boolean("ContainerDefinitions.Privileged")?,
        readonly_root_filesystem: c
            .get(k("ReadonlyRootFilesystem", "readonlyRootFilesystem"))
            .boolean("ContainerDefinitions.ReadonlyRootFilesystem")?,
        log_driver: log.get(k("LogDriver", "logDriver")).text("ContainerDefinitions.LogConfiguration.LogDriver")?,
        environment,
    })
}

fn containers(src: &Source, r: &Res) -> Result<Vec<Container>, Unknown> {
    if src.is_cfn() {
        return r
            .props
            .get("ContainerDefinitions")
            .items("ContainerDefinitions")?
            .into_iter()
            .map(|c| container(src, c, true))
            .collect();
    }
    // Terraform holds the definitions as JSON text: parsed here, reduced at once, dropped.
    let Some(text) = r.props.get("container_definitions").text("container_definitions")? else {
        return Ok(Vec::new());
    };
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Unknown::new(
            crate::evidence::UnknownReason::ParseError,
            "container_definitions",
            format!("not JSON: line {}, column {}", e.line(), e.column()),
        )
    })?;
    Val::from_json(&json)
        .items("container_definitions")?
        .into_iter()
        .map(|c| container(src, c, false))
        .collect()
}

fn task_definition(src: &Source, r: &Res, out: &mut Converted) -> TaskDefinition {
    let arn = src.arn(r);
    out.add(r, &arn);
    TaskDefinition {
        family: r.id.clone(),
        revision: 1,
        tags: r.tags("Tags").into(),
        containers: containers(src, r).into(),
        arn,
    }
}
