//! Attaching a volume to a task definition the way the learner would write
//! it by hand: the volume at task level, a mount point in one container.
//! Only the shape is built here; whether the launch type accepts it is the
//! validator's verdict (`volume-fargate` and the rest), shown beside it.

use serde_json::json;

use super::VolumeType;
use crate::taskdef::{
    DockerVolumeConfiguration, EfsVolumeConfiguration, HostVolume, MountPoint, TaskDefinition,
    Volume,
};

/// The kinds a learner can attach (the writable layer is not a volume, and
/// Fargate's ephemeral storage is a task setting).
pub const ATTACHABLE: [VolumeType; 7] = [
    VolumeType::BindMount,
    VolumeType::HostPath,
    VolumeType::DockerVolumeTaskScope,
    VolumeType::DockerVolumeShared,
    VolumeType::Efs,
    VolumeType::FsxWindows,
    VolumeType::Ebs,
];

/// Adds a volume called `name` of `kind` and mounts it at `container_path`
/// in the container at `container`. Example IDs are marked as examples.
/// Why `path` cannot be a mount point's containerPath, if it cannot: the
/// editor says it as the path is typed, and `attach` refuses it.
pub fn container_path_error(path: &str) -> Option<String> {
    (!path.starts_with('/'))
        .then(|| "containerPath: an absolute path inside the container, like /data".to_string())
}

pub fn attach(
    definition: &mut TaskDefinition,
    kind: VolumeType,
    name: &str,
    container: usize,
    container_path: &str,
) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("name: give the volume a name; mount points refer to it by name".into());
    }
    if !crate::taskdef::is_name(name) {
        return Err(format!(
            "name: \"{name}\" may use only letters, digits, '-' and '_' (255 at most)"
        ));
    }
    if let Some(error) = container_path_error(container_path) {
        return Err(error);
    }
    if definition
        .volumes
        .iter()
        .flatten()
        .any(|volume| volume.name == name)
    {
        return Err(format!("name: there is already a volume called {name}"));
    }
    if container >= definition.container_definitions.len() {
        return Err("container: this task definition has no such container".into());
    }
    let mut volume = Volume {
        name: name.to_string(),
        ..Volume::default()
    };
    match kind {
        VolumeType::BindMount => {}
        VolumeType::HostPath => {
            volume.host = Some(HostVolume {
                source_path: Some(format!("/ecs/{name}")),
                ..HostVolume::default()
            })
        }
        VolumeType::DockerVolumeTaskScope | VolumeType::DockerVolumeShared => {
            let shared = kind == VolumeType::DockerVolumeShared;
            volume.docker_volume_configuration = Some(DockerVolumeConfiguration {
                scope: Some(if shared { "shared" } else { "task" }.into()),
                autoprovision: shared.then_some(true),
                driver: Some("local".into()),
                ..DockerVolumeConfiguration::default()
            })
        }
        VolumeType::Efs => {
            volume.efs_volume_configuration = Some(EfsVolumeConfiguration {
                // An example ID: put your file system's here.
                file_system_id: "fs-0123456789abcdef0".into(),
                transit_encryption: Some("ENABLED".into()),
                ..EfsVolumeConfiguration::default()
            })
        }
        VolumeType::FsxWindows => {
            volume.fsx_windows_file_server_volume_configuration = Some(json!({
                "fileSystemId": "fs-0123456789abcdef0",
                "rootDirectory": "share",
                "authorizationConfig": {
                    "credentialsParameter": "arn:aws:secretsmanager:us-east-1:111122223333:secret:fsx-credentials",
                    "domain": "corp.example.com"
                }
            }))
        }
        VolumeType::Ebs => volume.configured_at_launch = Some(true),
        VolumeType::WritableLayer | VolumeType::FargateEphemeral => {
            return Err(format!("{} is not a volume you attach", kind.label()))
        }
    }
    definition.volumes.get_or_insert_with(Vec::new).push(volume);
    definition.container_definitions[container]
        .mount_points
        .get_or_insert_with(Vec::new)
        .push(MountPoint {
            source_volume: Some(name.to_string()),
            container_path: Some(container_path.to_string()),
            ..MountPoint::default()
        });
    Ok(())
}

/// Removes the volume called `name` and every mount point naming it.
pub fn detach(definition: &mut TaskDefinition, name: &str) {
    if let Some(volumes) = &mut definition.volumes {
        volumes.retain(|volume| volume.name != name);
        if volumes.is_empty() {
            definition.volumes = None;
        }
    }
    for container in &mut definition.container_definitions {
        if let Some(mounts) = &mut container.mount_points {
            mounts.retain(|mount| mount.source_volume.as_deref() != Some(name));
            if mounts.is_empty() {
                container.mount_points = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taskdef::{validate, ContainerDefinition};

    fn web(targets: &[&str]) -> TaskDefinition {
        TaskDefinition {
            family: "web".into(),
            requires_compatibilities: Some(targets.iter().map(|t| t.to_string()).collect()),
            network_mode: Some("awsvpc".into()),
            cpu: Some("256".into()),
            memory: Some("512".into()),
            container_definitions: vec![ContainerDefinition {
                name: "app".into(),
                image: "nginx".into(),
                ..ContainerDefinition::default()
            }],
            ..TaskDefinition::default()
        }
    }

    fn codes(definition: &TaskDefinition) -> Vec<&'static str> {
        validate(definition).into_iter().map(|f| f.code).collect()
    }

    /// Each kind attached to a Fargate task gets the verdict of rules §5:
    /// EFS, EBS and a plain bind mount are accepted, the rest refused by the
    /// validator with the reason, on the volume's own path.
    #[test]
    fn each_attachable_kind_gets_fargates_verdict() {
        for kind in ATTACHABLE {
            let mut definition = web(&["FARGATE"]);
            attach(&mut definition, kind, "data", 0, "/data").unwrap();
            assert_eq!(
                VolumeType::of(&definition.volumes.as_ref().unwrap()[0]),
                kind
            );
            let refused = validate(&definition)
                .into_iter()
                .any(|f| f.code == "volume-fargate" && f.path.starts_with("volumes[0]"));
            let expected = !super::super::support(kind, super::super::EcsPlatform::FargateLinux)
                .is_supported();
            assert_eq!(refused, expected, "{kind:?}: {:?}", codes(&definition));
            assert!(!codes(&definition).contains(&"mount-unknown-volume"));
        }
    }

    #[test]
    fn on_ec2_the_linux_kinds_are_accepted() {
        for kind in [
            VolumeType::HostPath,
            VolumeType::DockerVolumeShared,
            VolumeType::Efs,
        ] {
            let mut definition = web(&["EC2"]);
            attach(&mut definition, kind, "data", 0, "/data").unwrap();
            assert!(
                !codes(&definition).iter().any(|c| c.starts_with("volume")),
                "{kind:?}: {:?}",
                codes(&definition)
            );
        }
    }

    #[test]
    fn bad_attachments_are_refused_by_field_and_detach_removes_the_mounts() {
        let mut definition = web(&["FARGATE"]);
        assert!(attach(&mut definition, VolumeType::Efs, " ", 0, "/d")
            .unwrap_err()
            .starts_with("name:"));
        assert!(attach(&mut definition, VolumeType::Efs, "d", 0, "data")
            .unwrap_err()
            .starts_with("containerPath:"));
        // Volume.name: letters, digits, hyphens and underscores, as the
        // validator says of a definition written by hand.
        let error = attach(&mut definition, VolumeType::Efs, "<img src=x>", 0, "/d").unwrap_err();
        assert!(error.contains("may use only letters, digits"), "{error}");
        let mut written = web(&["EC2"]);
        attach(&mut written, VolumeType::Efs, "data", 0, "/d").unwrap();
        written.volumes.as_mut().unwrap()[0].name = "my data".into();
        written.container_definitions[0]
            .mount_points
            .as_mut()
            .unwrap()[0]
            .source_volume = Some("my data".into());
        assert!(
            codes(&written).contains(&"volume-name"),
            "{:?}",
            codes(&written)
        );
        assert!(attach(&mut definition, VolumeType::Efs, "d", 3, "/d")
            .unwrap_err()
            .starts_with("container:"));
        attach(&mut definition, VolumeType::Efs, "d", 0, "/d").unwrap();
        assert!(attach(&mut definition, VolumeType::Ebs, "d", 0, "/e")
            .unwrap_err()
            .starts_with("name: there is already"));
        detach(&mut definition, "d");
        assert_eq!(definition.volumes, None);
        assert_eq!(definition.container_definitions[0].mount_points, None);
    }
}
