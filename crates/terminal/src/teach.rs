//! What a sandbox button or form stands for, as commands typed in the
//! terminal: as the AWS console's "view CLI command" shows it, so that a
//! learner who clicks still sees the real command. A test plays each
//! translation in the terminal and checks that it changes the world as
//! the button's own command does.

use dockyard_model::sim::eks::{CapacityType, NodeGroupSpec};
use dockyard_model::sim::{AssignPublicIp, Capacity, Command, Constraint, Metric, Strategy, World};

use crate::script::quote;

/// The commands a model command stands for, one per line; `None` for what
/// has no terminal form yet (Kubernetes objects, capacity providers).
pub fn cli_for(command: &Command, world: &World) -> Option<Vec<String>> {
    let cluster_of = |service: &str| {
        world
            .service(service)
            .map(|s| s.cluster.clone())
            .unwrap_or_else(|| "default".to_string())
    };
    let task_cluster = |task: &str| {
        world
            .task(task)
            .map(|t| t.cluster.clone())
            .unwrap_or_else(|| "default".to_string())
    };
    // kubectl's `-n`, for a deployment outside the default namespace.
    let namespace_flag = |deployment: &str| match world.eks().deployments.get(deployment) {
        Some(d) if d.namespace != "default" => format!(" -n {}", quote(&d.namespace)),
        _ => String::new(),
    };
    let lines = match command {
        Command::CreateCluster { name } => vec![format!(
            "aws ecs create-cluster --cluster-name {}",
            quote(name)
        )],
        Command::LaunchInstances {
            cluster,
            instance_type,
            az,
            count,
            spot,
            instance_role,
            spot_instance_draining,
        } => {
            let mut line = format!(
                "dockyard launch-instances --cluster {} --instance-type {} --az {} --count {count}",
                quote(cluster),
                quote(instance_type),
                quote(az)
            );
            if *spot {
                line.push_str(" --spot true");
            }
            if let Some(role) = instance_role {
                line.push_str(&format!(" --instance-role {}", quote(role)));
            }
            if *spot_instance_draining {
                line.push_str(" --spot-instance-draining true");
            }
            vec![line]
        }
        Command::RegisterTaskDefinition { definition } => vec![format!(
            "aws ecs register-task-definition --cli-input-json {}",
            quote(&serde_json::to_string(definition).ok()?)
        )],
        Command::DeregisterTaskDefinition { task_definition } => vec![format!(
            "aws ecs deregister-task-definition --task-definition {}",
            quote(task_definition)
        )],
        Command::CreateRole {
            name,
            trusted_service,
            managed_policies,
            policies,
            trust_policy,
        } => {
            let trust = trust_policy.clone().unwrap_or_else(|| {
                serde_json::json!({
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Principal": {"Service": trusted_service}, "Action": "sts:AssumeRole"}]
                })
            });
            let mut lines = vec![format!(
                "aws iam create-role --role-name {} --assume-role-policy-document {}",
                quote(name),
                quote(&trust.to_string())
            )];
            for policy in managed_policies {
                let arn = dockyard_model::iam::managed_policy_info(policy).map(|m| m.arn)?;
                lines.push(format!(
                    "aws iam attach-role-policy --role-name {} --policy-arn {arn}",
                    quote(name)
                ));
            }
            for (policy, document) in policies {
                lines.push(format!(
                    "aws iam put-role-policy --role-name {} --policy-name {} --policy-document {}",
                    quote(name),
                    quote(policy),
                    quote(&document.to_string())
                ));
            }
            lines
        }
        Command::PutRolePolicy {
            role,
            name,
            document,
        } => vec![format!(
            "aws iam put-role-policy --role-name {} --policy-name {} --policy-document {}",
            quote(role),
            quote(name),
            quote(&document.to_string())
        )],
        Command::AttachRolePolicy { role, policy } => {
            let name = policy.rsplit('/').next().unwrap_or(policy);
            let arn = dockyard_model::iam::managed_policy_info(name).map(|m| m.arn)?;
            vec![format!(
                "aws iam attach-role-policy --role-name {} --policy-arn {arn}",
                quote(role)
            )]
        }
        Command::UpdateAssumeRolePolicy { role, document } => vec![format!(
            "aws iam update-assume-role-policy --role-name {} --policy-document {}",
            quote(role),
            quote(&document.to_string())
        )],
        Command::CreatePolicy { name, document } => vec![format!(
            "aws iam create-policy --policy-name {} --policy-document {}",
            quote(name),
            quote(&document.to_string())
        )],
        Command::PutRolePermissionsBoundary { role, policy } => vec![match policy {
            Some(arn) => format!(
                "aws iam put-role-permissions-boundary --role-name {} --permissions-boundary {}",
                quote(role),
                quote(arn)
            ),
            None => format!(
                "aws iam delete-role-permissions-boundary --role-name {}",
                quote(role)
            ),
        }],
        Command::PutResourcePolicy { resource, policy } => {
            let text = policy.as_ref().map(|p| quote(&p.to_string()));
            vec![if let Some((head, name)) = resource.split_once(":repository/") {
                let registry = head.rsplit(':').next()?;
                match text {
                    Some(text) => format!(
                        "aws ecr set-repository-policy --registry-id {registry} --repository-name {} --policy-text {text}",
                        quote(name)
                    ),
                    None => format!(
                        "aws ecr delete-repository-policy --registry-id {registry} --repository-name {}",
                        quote(name)
                    ),
                }
            } else if let Some(bucket) = resource.strip_prefix("arn:aws:s3:::") {
                match text {
                    Some(text) => format!("aws s3api put-bucket-policy --bucket {} --policy {text}", quote(bucket)),
                    None => format!("aws s3api delete-bucket-policy --bucket {}", quote(bucket)),
                }
            } else if resource.starts_with("arn:aws:kms:") {
                // A key always has a policy: there is no deleting it.
                format!("aws kms put-key-policy --key-id {} --policy {}", quote(resource), text?)
            } else if resource.starts_with("arn:aws:secretsmanager:") {
                match text {
                    Some(text) => format!(
                        "aws secretsmanager put-resource-policy --secret-id {} --resource-policy {text}",
                        quote(resource)
                    ),
                    None => format!(
                        "aws secretsmanager delete-resource-policy --secret-id {}",
                        quote(resource)
                    ),
                }
            } else {
                return None;
            }]
        }
        Command::EncryptSecret { secret, key } => vec![format!(
            "aws secretsmanager update-secret --secret-id {} --kms-key-id {}",
            quote(secret),
            quote(key)
        )],
        // Joining is a handshake between two accounts, which the terminal
        // does not simulate.
        Command::JoinOrganization { .. } => return None,
        Command::CreateServiceControlPolicy {
            name,
            description,
            document,
        } => vec![format!(
            "aws organizations create-policy --type SERVICE_CONTROL_POLICY --name {} --description {} --content {}",
            quote(name),
            quote(if description.is_empty() { name } else { description }),
            quote(&document.to_string())
        )],
        Command::AttachServiceControlPolicy { name } => vec![format!(
            "aws organizations attach-policy --policy-id {} --target-id {}",
            crate::aws::organization_policy_id(name),
            world.account_id()
        )],
        Command::DetachServiceControlPolicy { name } => vec![format!(
            "aws organizations detach-policy --policy-id {} --target-id {}",
            crate::aws::organization_policy_id(name),
            world.account_id()
        )],
        Command::RunTask {
            cluster,
            task_definition,
            count,
            capacity,
            assign_public_ip,
        } => {
            let mut line = format!(
                "aws ecs run-task --cluster {} --task-definition {} --count {count}",
                quote(cluster),
                quote(task_definition)
            );
            line.push_str(&capacity_flags(capacity));
            line.push_str(&network_flags(world, task_definition, capacity, *assign_public_ip));
            vec![line]
        }
        Command::CreateService(spec) => {
            let mut line = format!(
                "aws ecs create-service --cluster {} --service-name {} --task-definition {} --desired-count {}",
                quote(&spec.cluster),
                quote(&spec.name),
                quote(&spec.task_definition),
                spec.desired_count
            );
            line.push_str(&capacity_flags(&spec.capacity));
            line.push_str(&network_flags(
                world,
                &spec.task_definition,
                &spec.capacity,
                spec.assign_public_ip,
            ));
            if let Some(strategies) = &spec.placement_strategy {
                for strategy in strategies {
                    line.push_str(&format!(
                        " --placement-strategy {}",
                        strategy_text(strategy)
                    ));
                }
            }
            for constraint in &spec.placement_constraints {
                line.push_str(&format!(
                    " --placement-constraints {}",
                    constraint_text(constraint)
                ));
            }
            let deployment = &spec.deployment_configuration;
            if *deployment != Default::default() {
                line.push_str(&format!(
                    " --deployment-configuration {}",
                    quote(&serde_json::to_string(deployment).ok()?)
                ));
            }
            let mut lines = vec![line];
            if let Some(scaling) = &spec.scaling {
                lines.extend(scaling_lines(&spec.cluster, &spec.name, scaling)?);
            }
            for (load, metric) in [
                (&spec.load, "cpu"),
                (&spec.memory_load, "memory"),
                (&spec.request_load, "requests"),
            ] {
                if let Some(load) = load {
                    lines.push(format!(
                        "dockyard set-load --service {} --load {} --metric {metric}",
                        quote(&spec.name),
                        quote(&serde_json::to_string(load).ok()?)
                    ));
                }
            }
            lines
        }
        Command::Deploy {
            service,
            task_definition,
        } => vec![match task_definition {
            Some(definition) => format!(
                "aws ecs update-service --cluster {} --service {} --task-definition {}",
                quote(&cluster_of(service)),
                quote(service),
                quote(definition)
            ),
            None => format!(
                "aws ecs update-service --cluster {} --service {} --force-new-deployment",
                quote(&cluster_of(service)),
                quote(service)
            ),
        }],
        Command::SetTaskRoles {
            service,
            task_role_arn,
            execution_role_arn,
        } => {
            let current = world.service(service)?;
            let mut definition = world.task_definition(&current.revision)?.clone();
            definition.task_role_arn = task_role_arn.clone();
            definition.execution_role_arn = execution_role_arn.clone();
            let next = world
                .task_definitions()
                .filter(|(revision, _)| revision.family == definition.family)
                .count()
                + 1;
            vec![
                format!(
                    "aws ecs register-task-definition --cli-input-json {}",
                    quote(&serde_json::to_string(&definition).ok()?)
                ),
                format!(
                    "aws ecs update-service --cluster {} --service {} --task-definition {}:{next}",
                    quote(&current.cluster),
                    quote(service),
                    definition.family
                ),
            ]
        }
        Command::UpdateService {
            service,
            desired_count,
        } => vec![format!(
            "aws ecs update-service --cluster {} --service {} --desired-count {desired_count}",
            quote(&cluster_of(service)),
            quote(service)
        )],
        Command::SetServiceScaling { service, scaling } => match scaling {
            Some(scaling) => scaling_lines(&cluster_of(service), service, scaling)?,
            None => return None,
        },
        Command::SetLoad {
            service,
            load,
            metric,
        } => vec![format!(
            "dockyard set-load --service {} --load {} --metric {}",
            quote(service),
            quote(&serde_json::to_string(load).ok()?),
            metric_word(*metric)
        )],
        Command::StopTask { task } => vec![format!(
            "aws ecs stop-task --cluster {} --task {}",
            quote(&task_cluster(task)),
            quote(task)
        )],
        Command::DrainInstance { instance } => {
            let cluster = world
                .instances()
                .find(|i| &i.id == instance)?
                .cluster
                .clone();
            vec![format!(
                "aws ecs update-container-instances-state --cluster {} --container-instances {} --status DRAINING",
                quote(&cluster),
                quote(instance)
            )]
        }
        Command::TerminateInstance { instance } => vec![format!(
            "dockyard terminate-instance --instance {}",
            quote(instance)
        )],
        Command::LoseAz { az } => vec![format!("dockyard lose-az --az {}", quote(az))],
        Command::RestoreAz { az } => vec![format!("dockyard restore-az --az {}", quote(az))],
        Command::ExitContainer {
            task,
            container,
            exit_code,
        } => vec![format!(
            "dockyard exit-container --task {} --container {} --exit-code {exit_code}",
            quote(task),
            quote(container)
        )],
        Command::UseMemory {
            task,
            container,
            mib,
        } => vec![format!(
            "dockyard use-memory --task {} --container {} --mib {mib}",
            quote(task),
            quote(container)
        )],
        Command::WriteFile {
            task,
            volume,
            container,
            path,
            contents,
        } => {
            let mut line = format!(
                "dockyard write-file --task {} --path {}",
                quote(task),
                quote(path)
            );
            if let Some(volume) = volume {
                line.push_str(&format!(" --volume {}", quote(volume)));
            }
            if let Some(container) = container {
                line.push_str(&format!(" --container {}", quote(container)));
            }
            line.push_str(&format!(" --contents {}", quote(contents)));
            vec![line]
        }
        Command::InterruptSpotInstance { instance } => vec![format!(
            "dockyard interrupt-spot-instance --instance {}",
            quote(instance)
        )],
        Command::InterruptSpot { service, count } => vec![format!(
            "dockyard interrupt-spot --service {} --count {count}",
            quote(service)
        )],
        Command::CreateEksCluster {
            name,
            role_arn,
            subnets,
        } => {
            let role = role_arn.clone().unwrap_or_else(|| {
                format!("arn:aws:iam::{}:role/eksClusterRole", world.account_id())
            });
            let subnets = if subnets.is_empty() {
                default_subnets(world)
            } else {
                subnets.join(",")
            };
            vec![format!(
                "aws eks create-cluster --name {} --role-arn {} --resources-vpc-config subnetIds={subnets}",
                quote(name),
                quote(&role)
            )]
        }
        Command::CreateNodeGroup(spec) => eks_node_group_lines(spec, world),
        Command::CreateFargateProfile(spec) => {
            let role = spec.pod_execution_role_arn.clone().unwrap_or_else(|| {
                format!(
                    "arn:aws:iam::{}:role/AmazonEKSFargatePodExecutionRole",
                    world.account_id()
                )
            });
            let selectors: Vec<serde_json::Value> = spec
                .selectors()
                .iter()
                .map(|s| {
                    let mut selector = serde_json::json!({ "namespace": s.namespace });
                    if !s.labels.is_empty() {
                        selector["labels"] = serde_json::json!(s.labels);
                    }
                    selector
                })
                .collect();
            let mut line = format!(
                "aws eks create-fargate-profile --cluster-name {} --fargate-profile-name {} --pod-execution-role-arn {} --selectors {}",
                quote(&spec.cluster),
                quote(&spec.name),
                quote(&role),
                quote(&serde_json::Value::from(selectors).to_string())
            );
            if !spec.subnets.is_empty() {
                line.push_str(&format!(" --subnets {}", spec.subnets.join(" ")));
            }
            vec![line]
        }
        Command::CreateAccessEntry {
            cluster,
            principal_arn,
            entry_type,
        } => vec![format!(
            "aws eks create-access-entry --cluster-name {} --principal-arn {} --type {}",
            quote(cluster),
            quote(principal_arn),
            quote(entry_type)
        )],
        Command::AssociateAccessPolicy {
            cluster,
            principal_arn,
            policy_arn,
            scope,
            namespaces,
        } => {
            let mut access_scope = format!("type={scope}");
            if !namespaces.is_empty() {
                access_scope.push_str(&format!(",namespaces=[{}]", namespaces.join(",")));
            }
            vec![format!(
                "aws eks associate-access-policy --cluster-name {} --principal-arn {} --policy-arn {} --access-scope {}",
                quote(cluster),
                quote(principal_arn),
                quote(policy_arn),
                quote(&access_scope)
            )]
        }
        Command::DeleteNodeGroup { cluster, nodegroup } => vec![format!(
            "aws eks delete-nodegroup --cluster-name {} --nodegroup-name {}",
            quote(cluster),
            quote(nodegroup)
        )],
        Command::DeleteFargateProfile { cluster, profile } => vec![format!(
            "aws eks delete-fargate-profile --cluster-name {} --fargate-profile-name {}",
            quote(cluster),
            quote(profile)
        )],
        Command::DeleteEksCluster { name } => {
            vec![format!("aws eks delete-cluster --name {}", quote(name))]
        }
        Command::AllocateAddress => vec!["aws ec2 allocate-address --domain vpc".to_string()],
        Command::ReleaseAddress { allocation_id } => vec![format!(
            "aws ec2 release-address --allocation-id {}",
            quote(allocation_id)
        )],
        // Without an allocation id (JSON's shorthand for "and a new Elastic
        // IP") the id the terminal would need is not known in advance.
        Command::CreateNatGateway {
            allocation_id: None,
            ..
        } => return None,
        Command::CreateNatGateway {
            subnet,
            allocation_id: Some(allocation_id),
        } => vec![format!(
            "aws ec2 create-nat-gateway --subnet-id {} --allocation-id {}",
            quote(&subnet_id(world, subnet)),
            quote(allocation_id)
        )],
        Command::DeleteNatGateway { nat_gateway } => vec![format!(
            "aws ec2 delete-nat-gateway --nat-gateway-id {}",
            quote(nat_gateway)
        )],
        Command::CreateLoadBalancer {
            name,
            kind,
            subnets,
        } => {
            let subnets: Vec<String> = subnets
                .iter()
                .map(|s| quote(&subnet_id(world, s)))
                .collect();
            vec![format!(
                "aws elbv2 create-load-balancer --name {} --type {} --subnets {}",
                quote(name),
                kind.as_str(),
                subnets.join(" ")
            )]
        }
        Command::DeleteLoadBalancer { load_balancer } => {
            let arn = world
                .load_balancers()
                .find(|lb| lb.name == *load_balancer)
                .map_or(load_balancer.clone(), |lb| lb.arn.clone());
            vec![format!(
                "aws elbv2 delete-load-balancer --load-balancer-arn {}",
                quote(&arn)
            )]
        }
        Command::UpdateNodeGroupConfig {
            cluster,
            nodegroup,
            min_size,
            max_size,
            desired_size,
        } => {
            let sizes: Vec<String> = [
                ("minSize", min_size),
                ("maxSize", max_size),
                ("desiredSize", desired_size),
            ]
            .iter()
            .filter_map(|(key, size)| size.map(|size| format!("{key}={size}")))
            .collect();
            vec![format!(
                "aws eks update-nodegroup-config --cluster-name {} --nodegroup-name {} --scaling-config {}",
                quote(cluster),
                quote(nodegroup),
                sizes.join(",")
            )]
        }
        Command::ScaleDeployment {
            deployment,
            replicas,
        } => vec![format!(
            "kubectl scale deployment {}{} --replicas={replicas}",
            quote(deployment),
            namespace_flag(deployment)
        )],
        Command::DeleteDeployment { deployment } => vec![format!(
            "kubectl delete deployment {}{}",
            quote(deployment),
            namespace_flag(deployment)
        )],
        Command::RestartDeployment { deployment } => vec![format!(
            "kubectl rollout restart deployment/{}{}",
            quote(deployment),
            namespace_flag(deployment)
        )],
        Command::SetDeploymentHpa {
            deployment,
            hpa: Some(hpa),
        } => {
            let mut line = format!(
                "kubectl autoscale deployment {}{} --cpu-percent={} --min={} --max={}",
                quote(deployment),
                namespace_flag(deployment),
                hpa.target_cpu_utilization,
                hpa.min_replicas,
                hpa.max_replicas
            );
            if let Some(name) = &hpa.name {
                line.push_str(&format!(" --name={}", quote(name)));
            }
            vec![line]
        }
        Command::SetDeploymentHpa {
            deployment,
            hpa: None,
        } => {
            let d = world.eks().deployments.get(deployment)?;
            let name = d.hpa.as_ref()?.name.clone().unwrap_or(d.name.clone());
            vec![format!(
                "kubectl delete hpa {}{}",
                quote(&name),
                namespace_flag(deployment)
            )]
        }
        Command::SetDeploymentLoad { deployment, load } => vec![format!(
            "dockyard set-pod-load --deployment {} --load {}",
            quote(deployment),
            quote(&serde_json::to_string(load).ok()?)
        )],
        Command::CreateNamespace { namespace, .. } => {
            vec![format!("kubectl create namespace {}", quote(namespace))]
        }
        // A deployment's requests, volume and load have no kubectl flags:
        // they are a manifest's (kubectl apply -f), not a one-line command.
        Command::CreateCapacityProvider(_)
        | Command::CreateDeployment(_)
        | Command::TerminateNode { .. }
        | Command::DeletePod { .. }
        | Command::SetNodeTaints { .. }
        | Command::UpdateDeployment(_)
        | Command::CreateStorageClass(_)
        | Command::CreatePersistentVolume(_)
        | Command::CreatePersistentVolumeClaim(_)
        | Command::PutPodDisruptionBudget(_)
        | Command::DeletePodDisruptionBudget { .. }
        | Command::DeleteStorage { .. } => return None,
    };
    Some(lines)
}

/// The default VPC's subnets, comma-separated.
fn default_subnets(world: &World) -> String {
    world
        .default_vpc()
        .subnets
        .iter()
        .map(|s| s.subnet_id.clone())
        .collect::<Vec<_>>()
        .join(",")
}

/// A node group: `aws eks create-nodegroup` for a managed one; for
/// self-managed nodes, Dockyard's stand-in for their Auto Scaling group,
/// and the access entry that lets them join when their role is mapped.
fn eks_node_group_lines(spec: &NodeGroupSpec, world: &World) -> Vec<String> {
    let role = spec.node_role.clone().unwrap_or_else(|| {
        format!(
            "arn:aws:iam::{}:role/{}-node-role",
            world.account_id(),
            spec.name
        )
    });
    let spot = spec.capacity_type == CapacityType::Spot;
    if spec.managed {
        let mut line = format!(
            "aws eks create-nodegroup --cluster-name {} --nodegroup-name {} --scaling-config minSize={},maxSize={},desiredSize={} --instance-types {} --node-role {} --subnets {}",
            quote(&spec.cluster),
            quote(&spec.name),
            spec.min_size,
            spec.max_size,
            spec.desired_size,
            quote(&spec.instance_type),
            quote(&role),
            default_subnets(world).replace(',', " ")
        );
        if spot {
            line.push_str(" --capacity-type SPOT");
        }
        return vec![line];
    }
    let mut line = format!(
        "dockyard launch-self-managed-nodes --cluster {} --name {} --instance-type {} --count {} --node-role {}",
        quote(&spec.cluster),
        quote(&spec.name),
        quote(&spec.instance_type),
        spec.desired_size,
        quote(&role)
    );
    if spec.min_size != spec.desired_size {
        line.push_str(&format!(" --min-size {}", spec.min_size));
    }
    if spec.max_size != spec.desired_size {
        line.push_str(&format!(" --max-size {}", spec.max_size));
    }
    if spot {
        line.push_str(" --spot true");
    }
    let mut lines = vec![line];
    if spec.node_role_mapped == Some(true) {
        lines.push(format!(
            "aws eks create-access-entry --cluster-name {} --principal-arn {} --type EC2_LINUX",
            quote(&spec.cluster),
            quote(&role)
        ));
    }
    lines
}

fn capacity_flags(capacity: &Capacity) -> String {
    match capacity {
        Capacity::Ec2 => " --launch-type EC2".to_string(),
        Capacity::Fargate => " --launch-type FARGATE".to_string(),
        Capacity::Strategy(items) => {
            let mut flags = String::from(" --capacity-provider-strategy");
            for item in items {
                flags.push_str(&format!(
                    " capacityProvider={},weight={},base={}",
                    item.capacity_provider, item.weight, item.base
                ));
            }
            flags
        }
    }
}

/// The default VPC's subnets, for a task definition with network mode awsvpc.
/// The network configuration an awsvpc task needs. A Fargate task in the
/// default VPC needs a public IP to reach its registry (the model's
/// `AssignPublicIp`); the API's default is DISABLED, so the line says
/// ENABLED unless the button's command said otherwise.
fn network_flags(
    world: &World,
    task_definition: &str,
    capacity: &Capacity,
    assign_public_ip: Option<AssignPublicIp>,
) -> String {
    let awsvpc = world
        .resolve_task_definition(task_definition)
        .ok()
        .and_then(|revision| world.task_definition(&revision).cloned())
        .is_some_and(|definition| definition.network_mode.as_deref() == Some("awsvpc"));
    if !awsvpc {
        return String::new();
    }
    let subnets: Vec<String> = world
        .default_vpc()
        .subnets
        .into_iter()
        .map(|s| s.subnet_id)
        .collect();
    let fargate = match capacity {
        Capacity::Fargate => true,
        Capacity::Ec2 => false,
        Capacity::Strategy(items) => items
            .iter()
            .any(|i| i.capacity_provider.starts_with("FARGATE")),
    };
    let public_ip = if fargate && assign_public_ip != Some(AssignPublicIp::Disabled) {
        ",assignPublicIp=ENABLED"
    } else {
        ""
    };
    format!(
        " --network-configuration 'awsvpcConfiguration={{subnets=[{}]{public_ip}}}'",
        subnets.join(",")
    )
}

fn strategy_text(strategy: &Strategy) -> String {
    let value = serde_json::to_value(strategy).unwrap_or_default();
    match value["field"].as_str() {
        Some(field) => format!(
            "type={},field={field}",
            value["type"].as_str().unwrap_or_default()
        ),
        None => format!("type={}", value["type"].as_str().unwrap_or_default()),
    }
}

fn constraint_text(constraint: &Constraint) -> String {
    match constraint {
        Constraint::DistinctInstance => "type=distinctInstance".to_string(),
        Constraint::MemberOf(expression) => {
            quote(&format!("type=memberOf,expression=\"{expression}\""))
        }
    }
}

fn metric_word(metric: Metric) -> &'static str {
    match metric {
        Metric::Cpu => "cpu",
        Metric::Memory => "memory",
        Metric::RequestsPerTarget => "requests",
    }
}

fn scaling_lines(
    cluster: &str,
    service: &str,
    scaling: &dockyard_model::sim::ServiceScaling,
) -> Option<Vec<String>> {
    let target = format!(
        "--service-namespace ecs --resource-id service/{cluster}/{service} --scalable-dimension ecs:service:DesiredCount"
    );
    let mut lines = vec![format!(
        "aws application-autoscaling register-scalable-target {target} --min-capacity {} --max-capacity {}",
        scaling.min_capacity, scaling.max_capacity
    )];
    if !scaling.step_scaling.is_empty() {
        // Step scaling acts on a CloudWatch alarm, not in the terminal yet.
        return None;
    }
    for (index, policy) in scaling.target_policies().iter().enumerate() {
        let metric = match policy.metric {
            Metric::Cpu => "ECSServiceAverageCPUUtilization",
            Metric::Memory => "ECSServiceAverageMemoryUtilization",
            Metric::RequestsPerTarget => "ALBRequestCountPerTarget",
        };
        let name = policy
            .name
            .clone()
            .unwrap_or_else(|| format!("target-tracking-{}", index + 1));
        lines.push(format!(
            "aws application-autoscaling put-scaling-policy {target} --policy-name {} --policy-type TargetTrackingScaling --target-tracking-scaling-policy-configuration {}",
            quote(&name),
            quote(&format!(
                "TargetValue={},PredefinedMetricSpecification={{PredefinedMetricType={metric}}},ScaleOutCooldown={},ScaleInCooldown={},DisableScaleIn={}",
                policy.target, policy.scale_out_cooldown, policy.scale_in_cooldown, policy.disable_scale_in
            ))
        ));
    }
    Some(lines)
}

/// A subnet's id: JSON commands may name the zone of a default subnet.
fn subnet_id(world: &World, subnet: &str) -> String {
    world
        .default_subnet(subnet)
        .map_or(subnet.to_string(), |s| s.subnet_id)
}
