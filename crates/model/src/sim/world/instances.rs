//! Clusters and EC2 container instances: the commands that create, drain,
//! interrupt and terminate them, and an instance's life from launch to
//! registration to termination (rules §6.4).

use super::*;

/// `LaunchInstances`' fields.
pub(super) struct LaunchRequest {
    pub cluster: String,
    pub instance_type: String,
    pub az: String,
    pub count: u32,
    pub spot: bool,
    pub instance_role: Option<String>,
    pub spot_instance_draining: bool,
}

impl Ecs {
    /// `CreateCluster`.
    pub(super) fn create_cluster(&mut self, name: String) -> Result<(), Rejection> {
        if !self.clusters.insert(name.clone()) {
            return Err(Rejection::new(
                "cluster-exists",
                format!("a cluster called {name} already exists"),
            ));
        }
        Ok(())
    }

    /// `LaunchInstances`.
    pub(super) fn launch_instances(
        &mut self,
        cx: &mut Cx<'_>,
        request: LaunchRequest,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        let LaunchRequest {
            cluster,
            instance_type,
            az,
            count,
            spot,
            instance_role,
            spot_instance_draining,
        } = request;
        self.need_cluster(&cluster)?;
        let kind = catalogue::require_instance_type(&instance_type)?;
        self.need_az(cx, &az)?;
        if count > MAX_INSTANCES_PER_CALL {
            return Err(Rejection::new(
                "instance-count",
                format!("count: Dockyard launches at most {MAX_INSTANCES_PER_CALL} instances per call, not {count}"),
            ));
        }
        for _ in 0..count {
            let id = self.launch_instance(
                cx,
                &cluster,
                kind,
                &az,
                spot,
                None,
                instance_role.clone(),
                out,
            );
            self.instances
                .get_mut(&id)
                .expect("just launched")
                .spot_instance_draining = spot_instance_draining;
        }
        Ok(())
    }

    /// `TerminateInstance`.
    pub(super) fn terminate_instance_command(
        &mut self,
        cx: &mut Cx<'_>,
        instance: String,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        if !self.instances.contains_key(&instance) {
            return Err(Rejection::new(
                "no-instance",
                format!("no instance {instance}"),
            ));
        }
        self.terminate_instance(
            cx,
            &instance,
            "terminated by the learner; its tasks are lost",
            out,
        );
        Ok(())
    }

    /// `DrainInstance`.
    pub(super) fn drain_instance(
        &mut self,
        cx: &mut Cx<'_>,
        instance: String,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        self.need_instance(&instance)?;
        self.drain(
            cx,
            &instance,
            "set to DRAINING: no new tasks; its service tasks are replaced elsewhere",
            out,
        );
        Ok(())
    }

    /// `InterruptSpotInstance`.
    pub(super) fn interrupt_spot_instance(
        &mut self,
        cx: &mut Cx<'_>,
        instance: String,
        out: &mut Vec<Event>,
    ) -> Result<(), Rejection> {
        if !self.need_instance(&instance)?.spot {
            return Err(Rejection::new(
                "not-spot",
                format!("{instance} is an On-Demand instance: only Spot capacity is interrupted"),
            ));
        }
        let terminate_at = cx.now + seconds(120);
        let drains = self.instances[&instance].spot_instance_draining;
        cx.emit(
            out,
            What::InstanceSpotInterruptionWarning {
                instance: instance.clone(),
                terminate_at,
                drains,
            },
        );
        // Spot Instance draining is off by default: without it ECS hears
        // nothing of the notice, and the tasks run on until EC2 terminates
        // the instance. (Capacity providers' managed instance draining
        // covers Auto Scaling scale-in, not this notice.)
        if drains {
            self.drain(
                cx,
                &instance,
                "drained on its Spot interruption notice (ECS_ENABLE_SPOT_INSTANCE_DRAINING=true in the agent's config)",
                out,
            );
        }
        cx.schedule(
            terminate_at,
            EcsHappening::SpotInstanceReclaimed { instance },
        );
        Ok(())
    }

    pub(super) fn need_cluster(&self, cluster: &str) -> Result<(), Rejection> {
        if self.clusters.contains(cluster) {
            Ok(())
        } else {
            Err(Rejection::new(
                "no-cluster",
                format!("no cluster called {cluster}"),
            ))
        }
    }

    pub(super) fn need_instance(&self, instance: &str) -> Result<&Instance, Rejection> {
        self.instances
            .get(instance)
            .ok_or_else(|| Rejection::new("no-instance", format!("no instance {instance}")))
    }

    pub(super) fn launch_instance(
        &mut self,
        cx: &mut Cx<'_>,
        cluster: &str,
        kind: &'static catalogue::InstanceType,
        az: &str,
        spot: bool,
        provider: Option<String>,
        instance_role: Option<String>,
        out: &mut Vec<Event>,
    ) -> String {
        self.next_instance += 1;
        let id = format!("i-{}", self.next_instance);
        self.instances.insert(
            id.clone(),
            Instance {
                id: id.clone(),
                cluster: cluster.to_string(),
                instance_type: kind.name,
                az: az.to_string(),
                spot,
                spot_instance_draining: false,
                registered: false,
                draining: false,
                provider,
                instance_role,
                cpu_total: kind.vcpus * 1024,
                memory_total: kind
                    .memory_mib
                    .saturating_sub(cx.params.instance_reserved_memory_mib),
                cpu_used: 0,
                memory_used: 0,
                enis_total: kind.enis.saturating_sub(1),
                enis_used: 0,
                ports_used: BTreeSet::new(),
                tasks: BTreeSet::new(),
                launched_at: cx.now,
                images: BTreeSet::new(),
            },
        );
        let price = if spot {
            kind.spot_per_hour
        } else {
            kind.on_demand_per_hour
        };
        cx.set_cost_rate(price / MS_PER_HOUR);
        cx.emit(
            out,
            What::InstanceLaunched {
                instance: id.clone(),
                instance_type: kind.name.into(),
                az: az.into(),
                spot,
            },
        );
        cx.schedule(
            cx.now + seconds(cx.params.instance_boot_seconds),
            EcsHappening::InstanceRegisters(id.clone()),
        );
        id
    }

    pub(super) fn register_instance(&mut self, cx: &mut Cx<'_>, id: &str, out: &mut Vec<Event>) {
        let Some(instance) = self.instances.get_mut(id) else {
            return;
        };
        instance.registered = true;
        let kind = catalogue::instance_type(instance.instance_type).expect("catalogue");
        let (cpu, memory, cluster, provider) = (
            instance.cpu_total,
            instance.memory_total,
            instance.cluster.clone(),
            instance.provider.clone(),
        );
        cx.emit(
            out,
            What::InstanceRegistered {
                instance: id.into(),
                cpu_units: cpu,
                memory_mib: memory,
                advertised_memory_mib: kind.memory_mib,
            },
        );
        self.join_pool(id);
        let az = self.instances[id].az.clone();
        let _ = self.files.add_instance(id, &az);
        // New capacity: waiting tasks of its provider, and services short of tasks.
        if let Some(provider) = provider {
            self.place_waiting(cx, &provider, id, out);
        }
        let services: Vec<String> = self
            .services
            .values()
            .filter(|s| s.cluster == cluster && s.unplaced > 0)
            .map(|s| s.name.clone())
            .collect();
        for service in services {
            self.reconcile(cx, &service, out);
        }
    }

    pub(super) fn terminate_instance(
        &mut self,
        cx: &mut Cx<'_>,
        id: &str,
        reason: &str,
        out: &mut Vec<Event>,
    ) {
        self.leave_pool(id);
        if !self.instances.contains_key(id) {
            return;
        }
        let lost = self.files.on_instance_lost(id);
        self.report_lost(cx, lost, out);
        if self.instances[id].draining {
            // Its tasks leave the service's draining count before the
            // instance goes (their index entries look the instance up).
            let tasks: Vec<String> = self.instances[id].tasks.iter().cloned().collect();
            for task in &tasks {
                self.index(task, -1);
            }
            self.instances.get_mut(id).expect("exists").draining = false;
            for task in &tasks {
                self.index(task, 1);
            }
        }
        let Some(instance) = self.instances.remove(id) else {
            return;
        };
        let kind = catalogue::instance_type(instance.instance_type).expect("catalogue");
        let price = if instance.spot {
            kind.spot_per_hour
        } else {
            kind.on_demand_per_hour
        };
        cx.set_cost_rate(-price / MS_PER_HOUR);
        if let Some(provider) = &instance.provider {
            if let Some(p) = self.providers.get_mut(provider) {
                p.instances.remove(id);
                p.booting.remove(id);
                p.idle.remove(id);
                p.draining.remove(id);
            }
        }
        cx.emit(
            out,
            What::InstanceTerminated {
                instance: id.into(),
                reason: reason.into(),
            },
        );
        for task in instance.tasks {
            self.lose_task(
                cx,
                &task,
                &format!("Instance {id} was terminated: {reason}."),
                out,
            );
        }
    }

    /// DRAINING (rules §6.4): the instance takes no new tasks; its service
    /// tasks are replaced within the service's deployment configuration
    /// (see `reconcile`); tasks not run by a service keep running.
    pub(super) fn drain(&mut self, cx: &mut Cx<'_>, id: &str, reason: &str, out: &mut Vec<Event>) {
        if self.instances[id].draining {
            return;
        }
        self.leave_pool(id);
        let tasks: Vec<String> = self.instances[id].tasks.iter().cloned().collect();
        for task in &tasks {
            self.index(task, -1);
        }
        let instance = self.instances.get_mut(id).expect("exists");
        instance.draining = true;
        if let Some(p) = instance
            .provider
            .clone()
            .and_then(|p| self.providers.get_mut(&p))
        {
            p.idle.remove(id);
            p.draining.insert(id.to_string());
        }
        for task in &tasks {
            self.index(task, 1);
        }
        cx.emit(
            out,
            What::InstanceDraining {
                instance: id.into(),
                reason: reason.into(),
            },
        );
        // Inserted one by one: collect() would compile a sort of its own.
        let mut services = BTreeSet::new();
        services.extend(tasks.iter().filter_map(|t| self.tasks[t].service.clone()));
        for service in services {
            self.reconcile(cx, &service, out);
        }
    }
}
