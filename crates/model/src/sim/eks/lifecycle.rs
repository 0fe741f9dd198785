//! A Deployment after it exists, as `kubectl` changes it: deleted,
//! restarted (`kubectl rollout restart`), autoscaled by an HPA or no longer;
//! and the namespaces a cluster has.

use super::*;

/// The namespaces every cluster starts with.
pub const BUILT_IN_NAMESPACES: [&str; 4] =
    ["default", "kube-node-lease", "kube-public", "kube-system"];

/// What the API server checks of an HPA. It does not look at the target's
/// CPU request: without one the HPA is accepted and then reports that it
/// cannot compute utilisation (`Eks::hpa_cannot_compute`).
pub(super) fn check_hpa(hpa: &Hpa) -> Result<(), Rejection> {
    need_replicas(hpa.max_replicas)?;
    if hpa.min_replicas < 1
        || hpa.min_replicas > hpa.max_replicas
        || hpa.target_cpu_utilization <= 0.0
    {
        return Err(Rejection::new(
            "hpa",
            "the HPA needs 1 ≤ minReplicas ≤ maxReplicas and a positive target",
        ));
    }
    Ok(())
}

impl Eks {
    pub(super) fn start_hpa(&mut self, ctx: &mut Ctx) {
        if !self.hpa_ticking {
            self.hpa_ticking = true;
            let period = seconds(HPA_SYNC_SECONDS);
            ctx.scheduled
                .push(((ctx.now / period + 1) * period, EksHappening::HpaSync));
        }
    }

    fn need_deployment(&self, name: &str) -> Result<&Deployment, Rejection> {
        self.deployments.get(name).ok_or_else(|| {
            Rejection::new(
                "no-deployment",
                format!("there is no deployment called {name}"),
            )
        })
    }

    /// Whether `namespace` exists in `cluster`: a built-in one, one created
    /// by name, or one that a deployment or a Fargate profile already uses
    /// (a scenario's deployments bring their namespaces with them).
    pub fn has_namespace(&self, cluster: &str, namespace: &str) -> bool {
        BUILT_IN_NAMESPACES.contains(&namespace)
            || self
                .namespaces
                .contains(&(cluster.to_string(), namespace.to_string()))
            || self
                .deployments
                .values()
                .any(|d| d.cluster == cluster && d.namespace == namespace)
    }

    /// Every namespace of `cluster`, by name.
    pub fn namespaces_of(&self, cluster: &str) -> BTreeSet<String> {
        let mut all: BTreeSet<String> = BUILT_IN_NAMESPACES.iter().map(|n| n.to_string()).collect();
        all.extend(
            self.namespaces
                .iter()
                .filter(|(c, _)| c == cluster)
                .map(|(_, n)| n.clone()),
        );
        all.extend(
            self.deployments
                .values()
                .filter(|d| d.cluster == cluster)
                .map(|d| d.namespace.clone()),
        );
        all
    }

    pub(super) fn create_namespace(
        &mut self,
        cluster: &str,
        namespace: &str,
    ) -> Result<(), Rejection> {
        self.need_cluster(cluster)?;
        if self.has_namespace(cluster, namespace) {
            return Err(Rejection::new(
                "namespace-exists",
                format!("namespaces \"{namespace}\" already exists"),
            ));
        }
        self.namespaces.insert((cluster.into(), namespace.into()));
        Ok(())
    }

    /// Deleting a Deployment deletes its ReplicaSet and its pods. Dockyard
    /// removes the pods at once: their 30-second grace period is not shown.
    pub(super) fn delete_deployment(&mut self, name: &str, ctx: &mut Ctx) -> Result<(), Rejection> {
        let d = self.need_deployment(name)?;
        let pods: Vec<String> = d.pods.iter().flatten().cloned().collect();
        for pod in pods {
            self.delete_pod(&pod, ctx);
        }
        self.deployments.remove(name);
        self.retry_pending(ctx);
        Ok(())
    }

    /// `kubectl rollout restart`: new pods replace the old ones, and each
    /// new pod is matched against the Fargate profiles as it is created.
    /// The rolling update's pacing (maxSurge, maxUnavailable) is not
    /// modelled: the new pods are created at once and the old ones
    /// terminate.
    pub(super) fn restart_deployment(
        &mut self,
        name: &str,
        ctx: &mut Ctx,
    ) -> Result<(), Rejection> {
        let d = self.need_deployment(name)?;
        let old: Vec<String> = [
            PodPhase::Pending,
            PodPhase::ContainerCreating,
            PodPhase::Running,
        ]
        .iter()
        .flat_map(|p| d.pods[p.slot()].iter().cloned())
        .collect();
        for pod in old {
            self.terminate_pod(&pod, ctx);
        }
        self.reconcile(name, ctx);
        Ok(())
    }

    /// A new spec for a deployment that exists: a changed pod template
    /// (labels, requests, containers, volume) means new pods, as a
    /// Deployment's rollout makes them; a changed replica count scales.
    pub(super) fn update_deployment(
        &mut self,
        spec: DeploymentSpec,
        ctx: &mut Ctx,
    ) -> Result<(), Rejection> {
        need_replicas(spec.replicas)?;
        let d = self.need_deployment(&spec.name)?;
        if d.cluster != spec.cluster || d.namespace != spec.namespace {
            return Err(Rejection::new(
                "deployment-exists",
                format!(
                    "a deployment called {} already exists in namespace {} of cluster {}: Dockyard keeps one deployment per name",
                    spec.name, d.namespace, d.cluster
                ),
            ));
        }
        if let Some(hpa) = &d.hpa {
            check_hpa(hpa)?;
        }
        let template_changed = d.labels != spec.labels
            || d.cpu != spec.cpu_request_millicores
            || d.memory != spec.memory_request_mib
            || d.containers != spec.containers
            || d.volume != spec.volume
            || d.claim != spec.claim
            || d.node_rules != spec.node_rules;
        let from = d.replicas;
        let d = self.deployments.get_mut(&spec.name).expect("checked");
        d.labels = spec.labels;
        d.cpu = spec.cpu_request_millicores;
        d.memory = spec.memory_request_mib;
        d.containers = spec.containers;
        d.volume = spec.volume;
        d.claim = spec.claim;
        d.node_rules = spec.node_rules;
        // A DaemonSet's count is its nodes', not the spec's.
        if !d.daemon && from != spec.replicas {
            d.replicas = spec.replicas;
            ctx.emit(What::DeploymentScaled {
                deployment: spec.name.clone(),
                from,
                to: spec.replicas,
                reason: "kubectl apply.".into(),
            });
        }
        if template_changed {
            self.restart_deployment(&spec.name, ctx)
        } else {
            self.reconcile(&spec.name, ctx);
            Ok(())
        }
    }

    /// The CPU work arriving at the deployment's pods from now on.
    pub(super) fn set_load(&mut self, name: &str, load: LoadCurve) -> Result<(), Rejection> {
        self.need_deployment(name)?;
        let d = self.deployments.get_mut(name).expect("checked");
        d.load = Some(load);
        Ok(())
    }

    /// Attaches, replaces or (with `None`) removes the deployment's HPA.
    pub(super) fn set_hpa(
        &mut self,
        name: &str,
        hpa: Option<Hpa>,
        ctx: &mut Ctx,
    ) -> Result<(), Rejection> {
        self.need_deployment(name)?;
        if let Some(hpa) = &hpa {
            check_hpa(hpa)?;
            self.start_hpa(ctx);
        }
        let d = self.deployments.get_mut(name).expect("checked");
        let new = d.hpa.is_none() && hpa.is_some();
        d.hpa = hpa;
        if new {
            // The controller seeds a new HPA's scale-down window with the
            // current count, so it cannot scale down in its first five
            // minutes. (An HPA that is changed keeps its history.)
            d.recommendations.clear();
            d.recommendations.push_back((ctx.now, d.replicas));
        } else if d.hpa.is_none() {
            d.recommendations.clear();
        }
        Ok(())
    }
}
