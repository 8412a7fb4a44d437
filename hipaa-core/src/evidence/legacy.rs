//! Snapshot schema version 1, read so that snapshots saved by earlier releases still evaluate.
//!
//! Version 1 grouped evidence by theme (`logging`, `backup`, `network`, …); version 2 keeps one
//! section per AWS service. The facts are the same, so the upgrade only regroups them.

use super::account::AccountRegion;
use super::snapshot::not_collected;
use super::{Fact, ReadLog, Regional, Snapshot, SNAPSHOT_SCHEMA_VERSION};
use crate::services::baa::evidence::{Agreement, Artifact};
use crate::services::backup::evidence::{BackupPlan, BackupRegion, BackupVault};
use crate::services::cloudtrail::evidence::{CloudTrailRegion, Trail};
use crate::services::cloudwatch::evidence::{
    CloudWatchRegion, LogGroup, MetricAlarm, MetricFilter,
};
use crate::services::config::evidence::{ConfigRecorder, ConfigRegion};
use crate::services::dynamodb::evidence::{DynamoDbRegion, DynamoTable};
use crate::services::ec2::evidence::{Ec2Region, Instance};
use crate::services::efs::evidence::{EfsRegion, FileSystem};
use crate::services::guardduty::evidence::{Detector, GuardDutyRegion};
use crate::services::iam::evidence::IamEvidence;
use crate::services::kms::evidence::{KmsKey, KmsRegion};
use crate::services::org::evidence::OrganizationsEvidence;
use crate::services::rds::evidence::{RdsInstance, RdsRegion};
use crate::services::s3::evidence::S3Evidence;
use crate::services::scope::evidence::{TaggedResource, TaggingRegion};
use crate::services::securityhub::evidence::{SecurityHub, SecurityHubRegion};
use crate::services::vpc::evidence::{FlowLog, Vpc, VpcRegion};
use crate::services::Services;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
pub(crate) struct SnapshotV1 {
    taken_at: DateTime<Utc>,
    source: String,
    partition: String,
    account: Fact<String>,
    regions: Vec<String>,
    #[serde(default = "not_collected")]
    account_regions: Fact<Vec<AccountRegion>>,
    s3: S3Evidence,
    kms: KmsV1,
    iam: IamEvidence,
    #[serde(default = "not_collected")]
    agreements: Fact<Vec<Agreement>>,
    #[serde(default = "organizations_not_collected")]
    organizations: OrganizationsEvidence,
    #[serde(default = "not_collected")]
    inventory: Fact<Vec<InventoryV1>>,
    #[serde(default = "not_collected")]
    logging: Fact<Vec<LoggingV1>>,
    #[serde(default = "not_collected")]
    backup: Fact<Vec<BackupV1>>,
    #[serde(default = "not_collected")]
    network: Fact<Vec<NetworkV1>>,
    reads: ReadLog,
}

fn organizations_not_collected() -> OrganizationsEvidence {
    OrganizationsEvidence {
        organization: not_collected(),
        accounts: not_collected(),
        parents: not_collected(),
        scps: not_collected(),
    }
}

#[derive(Deserialize)]
struct KmsV1 {
    regions: Vec<KmsRegionV1>,
}

#[derive(Deserialize)]
struct KmsRegionV1 {
    region: String,
    keys: Fact<Vec<KmsKey>>,
}

#[derive(Deserialize)]
struct InventoryV1 {
    region: String,
    resources: Fact<Vec<TaggedResource>>,
}

#[derive(Deserialize)]
struct LoggingV1 {
    region: String,
    trails: Fact<Vec<Trail>>,
    config_recorders: Fact<Vec<ConfigRecorder>>,
    guardduty: Fact<Vec<Detector>>,
    security_hub: Fact<Option<SecurityHub>>,
    log_groups: Fact<Vec<LogGroup>>,
    metric_filters: Fact<Vec<MetricFilter>>,
    alarms: Fact<Vec<MetricAlarm>>,
}

#[derive(Deserialize)]
struct BackupV1 {
    region: String,
    plans: Fact<Vec<BackupPlan>>,
    vaults: Fact<Vec<BackupVault>>,
    dynamodb_tables: Fact<Vec<DynamoTable>>,
    rds_instances: Fact<Vec<RdsInstance>>,
    efs_file_systems: Fact<Vec<FileSystem>>,
    #[serde(default = "not_collected")]
    opt_in: Fact<BTreeMap<String, bool>>,
}

#[derive(Deserialize)]
struct NetworkV1 {
    region: String,
    vpcs: Fact<Vec<Vpc>>,
    flow_logs: Fact<Vec<FlowLog>>,
    instances: Fact<Vec<Instance>>,
}

/// A version-1 section split into version-2 ones: an unknown section (never collected) leaves
/// every one of them absent, which a live snapshot reports as not collected.
fn regional<V, T>(
    section: &Fact<Vec<V>>,
    region: impl Fn(&V) -> &str,
    pick: impl Fn(&V) -> T,
) -> Option<Regional<T>> {
    section.known().map(|list| {
        list.iter()
            .map(|v| (region(v).to_string(), pick(v)))
            .collect()
    })
}

impl SnapshotV1 {
    /// The same facts in the version-2 shape.
    pub(crate) fn upgrade(self) -> Snapshot {
        let logging = &self.logging;
        let backup = &self.backup;
        let network = &self.network;
        let services = Services {
            s3: Some(self.s3),
            kms: Some(
                self.kms
                    .regions
                    .into_iter()
                    .map(|r| (r.region, KmsRegion { keys: r.keys }))
                    .collect(),
            ),
            iam: Some(self.iam),
            baa: Some(Artifact {
                agreements: self.agreements,
            }),
            org: Some(self.organizations),
            scope: regional(
                &self.inventory,
                |r| &r.region,
                |r| TaggingRegion {
                    resources: r.resources.clone(),
                },
            ),
            cloudtrail: regional(
                logging,
                |r| &r.region,
                |r| CloudTrailRegion {
                    trails: r.trails.clone(),
                },
            ),
            config: regional(
                logging,
                |r| &r.region,
                |r| ConfigRegion {
                    recorders: r.config_recorders.clone(),
                },
            ),
            guardduty: regional(
                logging,
                |r| &r.region,
                |r| GuardDutyRegion {
                    detectors: r.guardduty.clone(),
                },
            ),
            securityhub: regional(
                logging,
                |r| &r.region,
                |r| SecurityHubRegion {
                    hub: r.security_hub.clone(),
                    standards: crate::services::securityhub::evidence::standards_not_recorded(),
                },
            ),
            cloudwatch: regional(
                logging,
                |r| &r.region,
                |r| CloudWatchRegion {
                    log_groups: r.log_groups.clone(),
                    metric_filters: r.metric_filters.clone(),
                    alarms: r.alarms.clone(),
                },
            ),
            backup: regional(
                backup,
                |r| &r.region,
                |r| BackupRegion {
                    plans: r.plans.clone(),
                    vaults: r.vaults.clone(),
                    opt_in: r.opt_in.clone(),
                    restore_testing: crate::services::backup::evidence::not_in_snapshot(),
                },
            ),
            dynamodb: regional(
                backup,
                |r| &r.region,
                |r| DynamoDbRegion {
                    tables: r.dynamodb_tables.clone(),
                },
            ),
            rds: regional(
                backup,
                |r| &r.region,
                |r| {
                    RdsRegion::new(
                        r.rds_instances.clone(),
                        crate::services::rds::evidence::clusters_not_recorded(),
                    )
                },
            ),
            efs: regional(
                backup,
                |r| &r.region,
                |r| EfsRegion {
                    file_systems: r.efs_file_systems.clone(),
                },
            ),
            vpc: regional(
                network,
                |r| &r.region,
                |r| VpcRegion::from_v1(r.vpcs.clone(), r.flow_logs.clone()),
            ),
            ec2: regional(
                network,
                |r| &r.region,
                |r| Ec2Region::from_instances(r.instances.clone()),
            ),
            // Services added after schema 1 have no section: the v1 file never described them.
            ..Services::default()
        };
        Snapshot {
            schema_version: SNAPSHOT_SCHEMA_VERSION,
            taken_at: self.taken_at,
            provenance: super::Provenance::from_label(&self.source),
            partition: self.partition,
            account: self.account,
            regions: self.regions,
            account_regions: self.account_regions,
            services,
            reads: self.reads,
        }
    }
}
