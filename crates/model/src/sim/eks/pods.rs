//! Pods: a Deployment's reconcile, the kube-scheduler binding pods to nodes,
//! and EKS binding pods that match a Fargate profile to their own micro-VM
//! (decided when the pod is created, rules §7.2).

use super::*;
use placement::TaintEffect;
use storage::ClaimState;

/// The VolumeBinding filter's words for a node outside an EBS volume's zone.
pub(crate) const VOLUME_CONFLICT: &str = "node(s) had volume node affinity conflict";
/// Each Fargate pod registers a node of its own, tainted so that the
/// kube-scheduler never places another pod there.
const FARGATE_TAINT: &str =
    "node(s) had untolerated taint {eks.amazonaws.com/compute-type: fargate}";
/// The kube-scheduler's error when the cluster has no node at all.
const NO_NODES: &str = "no nodes available to schedule pods";

impl Eks {
    pub(super) fn set_phase(&mut self, name: &str, to: PodPhase) {
        let pod = self.pods.get_mut(name).expect("exists");
        let from = pod.phase;
        pod.phase = to;
        let d = self.deployments.get_mut(&pod.deployment).expect("exists");
        d.pods[from.slot()].remove(name);
        d.pods[to.slot()].insert(name.into());
        if from == PodPhase::Pending {
            self.pending.remove(name);
        }
        if to == PodPhase::Pending {
            self.pending.insert(name.into());
        }
    }

    /// Brings a deployment's live pods to its replica count (a
    /// DaemonSet's to its nodes).
    pub(super) fn reconcile(&mut self, name: &str, ctx: &mut Ctx) {
        let Some(d) = self.deployments.get(name) else {
            // A bare Pod that is gone.
            return;
        };
        if d.daemon {
            return self.reconcile_daemon(name, ctx);
        }
        if d.bare {
            // Created once; nothing replaces a bare Pod.
            if d.pods.iter().all(BTreeSet::is_empty) {
                self.create_pod(name, ctx);
            }
            return;
        }
        let live = d.count(PodPhase::Pending)
            + d.count(PodPhase::ContainerCreating)
            + d.count(PodPhase::Running);
        if live < d.replicas {
            for _ in live..d.replicas {
                self.create_pod(name, ctx);
            }
        } else if live > d.replicas {
            for _ in d.replicas..live {
                // Unscheduled pods go first, then the youngest.
                let d = &self.deployments[name];
                let victim = [
                    PodPhase::Pending,
                    PodPhase::ContainerCreating,
                    PodPhase::Running,
                ]
                .iter()
                .find_map(|p| d.pods[p.slot()].iter().next_back().cloned())
                .expect("a live pod");
                self.terminate_pod(&victim, ctx);
            }
        }
    }

    pub(super) fn create_pod(&mut self, deployment: &str, ctx: &mut Ctx) {
        self.create_pod_on(deployment, None, ctx);
    }

    /// A new pod of `deployment`; a DaemonSet's is bound to `node`.
    pub(super) fn create_pod_on(&mut self, deployment: &str, node: Option<String>, ctx: &mut Ctx) {
        self.next_pod += 1;
        let d = &self.deployments[deployment];
        let name = if d.bare {
            deployment.to_string()
        } else {
            format!("{deployment}-{:05}", self.next_pod)
        };
        // DaemonSet pods are for EC2 nodes: no Fargate profile takes them.
        let fargate_profile = (!d.daemon)
            .then(|| self.matching_profile(&d.cluster, &d.namespace, &d.labels))
            .flatten()
            .map(|p| p.name.clone());
        let d = self.deployments.get_mut(deployment).expect("exists");
        self.pods.insert(
            name.clone(),
            Pod {
                name: name.clone(),
                number: self.next_pod,
                deployment: deployment.into(),
                cluster: d.cluster.clone(),
                namespace: d.namespace.clone(),
                cpu: d.cpu,
                memory: d.memory,
                phase: PodPhase::Pending,
                placement: PodPlacement::Unscheduled,
                pending: None,
                fargate_profile,
                created_at: ctx.now,
                scheduled_at: None,
                attach_error: None,
                node_name: node,
                billing_rate: 0.0,
            },
        );
        d.pods[PodPhase::Pending.slot()].insert(name.clone());
        self.pending.insert(name.clone());
        self.schedule_pod(&name, ctx);
    }

    /// Deletion: an unscheduled pod simply goes; a bound one terminates
    /// for its grace period, still holding its requests.
    pub(super) fn terminate_pod(&mut self, name: &str, ctx: &mut Ctx) {
        let phase = self.pods[name].phase;
        if phase == PodPhase::Pending {
            self.delete_pod(name, ctx);
        } else if phase != PodPhase::Terminating {
            self.set_phase(name, PodPhase::Terminating);
            ctx.after(
                seconds(ctx.params.stop_seconds),
                EksHappening::PodGone(name.into()),
            );
        }
    }

    pub(super) fn delete_pod(&mut self, name: &str, ctx: &mut Ctx) {
        let pod = self.pods.remove(name).expect("exists");
        self.pending.remove(name);
        if let Some(d) = self.deployments.get_mut(&pod.deployment) {
            d.pods[pod.phase.slot()].remove(name);
        }
        if let PodPlacement::Node { node } = &pod.placement {
            if let Some(n) = self.nodes.get_mut(node) {
                n.requested_cpu -= pod.cpu;
                n.requested_memory -= pod.memory;
                n.pods.remove(name);
            }
        }
        ctx.cost_delta -= pod.billing_rate;
        // Fargate bills a pod per second with a one-minute minimum, as it
        // bills an ECS task (see the ECS side's stop_task).
        if pod.billing_rate != 0.0 {
            let billed = ctx.now.saturating_sub(pod.scheduled_at.unwrap_or(ctx.now));
            if billed < FARGATE_MINIMUM_BILLED_MS {
                ctx.charged += pod.billing_rate * (FARGATE_MINIMUM_BILLED_MS - billed) as f64;
            }
        }
        ctx.emit(What::PodDeleted { pod: name.into() });
        // A bare Pod's object goes with its pod.
        if self
            .deployments
            .get(&pod.deployment)
            .is_some_and(|d| d.bare)
        {
            self.deployments.remove(&pod.deployment);
        }
        // A volume it held may now attach where another pod waits for it.
        let waiting: Vec<String> = self
            .pods
            .values()
            .filter(|p| p.attach_error.is_some())
            .map(|p| p.name.clone())
            .collect();
        for waiting in waiting {
            ctx.after(
                seconds(ctx.params.container_start_seconds),
                EksHappening::PodRunning(waiting),
            );
        }
    }

    /// The attach/detach controller's refusal: an EBS volume attaches to
    /// one node at a time, so a pod on another node waits in
    /// ContainerCreating while a pod that got the volume first holds it
    /// (Running, Terminating, or created on its node earlier). The
    /// scheduler does not prevent this for ReadWriteOnce (only
    /// ReadWriteOncePod is checked when scheduling). EFS and FSx for
    /// Lustre are not attached, so many nodes mount them.
    pub(super) fn multi_attach_error(&self, name: &str) -> Option<String> {
        let pod = self.pods.get(name)?;
        let PodPlacement::Node { node } = &pod.placement else {
            return None;
        };
        let claim = self.deployments.get(&pod.deployment)?.claim.as_ref()?;
        let volume = self
            .storage
            .claims
            .get(&(pod.cluster.clone(), pod.namespace.clone(), claim.clone()))?
            .volume
            .as_ref()?;
        let v = self
            .storage
            .volumes
            .get(&(pod.cluster.clone(), volume.clone()))?;
        if v.spec.driver != CsiDriver::Ebs {
            return None;
        }
        let first = |p: &Pod| (p.scheduled_at, p.name.clone());
        let holders: Vec<&str> = self
            .pods
            .values()
            .filter(|p| p.name != name && p.cluster == pod.cluster && p.namespace == pod.namespace)
            .filter(|p| matches!(&p.placement, PodPlacement::Node { node: n } if n != node))
            .filter(|p| {
                self.deployments
                    .get(&p.deployment)
                    .is_some_and(|d| d.claim.as_ref() == Some(claim))
            })
            .filter(|p| match p.phase {
                PodPhase::Running | PodPhase::Terminating => true,
                PodPhase::ContainerCreating => p.attach_error.is_none() && first(p) < first(pod),
                PodPhase::Pending => false,
            })
            .map(|p| p.name.as_str())
            .collect();
        (!holders.is_empty()).then(|| {
            format!(
                "Multi-Attach error for volume \"{volume}\" Volume is already used by pod(s) {}",
                holders.join(", ")
            )
        })
    }

    pub(crate) fn matching_profile(
        &self,
        cluster: &str,
        namespace: &str,
        labels: &BTreeMap<String, String>,
    ) -> Option<&FargateProfileSpec> {
        self.profiles
            .range((cluster.to_string(), String::new())..)
            .take_while(|((c, _), _)| c == cluster)
            .map(|(_, p)| p)
            .find(|p| p.matches(namespace, labels))
    }

    /// The kube-scheduler (or the Fargate scheduler) for one Pending pod.
    /// Returns whether it was bound.
    pub(super) fn schedule_pod(&mut self, name: &str, ctx: &mut Ctx) -> bool {
        let pod = &self.pods[name];
        let d = &self.deployments[&pod.deployment];
        let claim = d
            .claim
            .clone()
            .map(|c| (self.claim_state(&d.cluster, &d.namespace, &c), c));
        if let Some((ClaimState::Blocked(why), _)) = &claim {
            let ready = self
                .nodes
                .values()
                .filter(|n| n.ready && n.cluster == pod.cluster)
                .count()
                + self.fargate_nodes(&pod.cluster) as usize;
            let reason = if pod.fargate_profile.is_some() {
                format!("{why}.")
            } else {
                format!("0/{ready} nodes are available: {why}.")
            };
            self.mark_pending(name, PendingKind::Volume, reason, ctx);
            return false;
        }

        let (volume, zone, wait_for_consumer) = match &claim {
            Some((ClaimState::Usable { volume, zone }, claim)) => {
                let unbound =
                    zone.is_none() && self.volume_unbound(&d.cluster, &d.namespace, claim);
                (Some(*volume), zone.clone(), unbound.then(|| claim.clone()))
            }
            _ => (d.volume, None, None),
        };
        if let Some(profile) = pod.fargate_profile.clone() {
            if let Some(why) = volume.and_then(|v| v.refused_on_fargate()) {
                let reason = format!("Pod not supported on Fargate (profile {profile}): {why}.");
                self.mark_pending(name, PendingKind::FargateUnsupported, reason, ctx);
                return false;
            }
            return match fargate::eks_pod_size(pod.cpu, pod.memory) {
                Some((cpu_units, memory_mib)) => {
                    self.bind_fargate(name, &profile, cpu_units, memory_mib, ctx);
                    true
                }
                None => {
                    let reason = format!(
                        "Fargate profile {profile} matches, but no Fargate size fits {}m CPU and {} MiB (+256 MiB): the largest is 16 vCPU / 120 GB.",
                        pod.cpu, pod.memory
                    );
                    self.mark_pending(name, PendingKind::NoFargateSize, reason, ctx);
                    false
                }
            };
        }
        let (cluster, cpu, memory) = (pod.cluster.clone(), pod.cpu, pod.memory);
        let namespace = pod.namespace.clone();
        let rules = &d.node_rules;
        let has_groups = self.groups.values().any(|g| g.cluster == cluster);
        let mut best: Option<(f64, &str)> = None;
        let mut ready = 0u32;
        // Why each node was filtered out, as the scheduler counts it.
        let mut refusals: BTreeMap<String, u32> = BTreeMap::new();
        let mut refuse = |why: &str| *refusals.entry(why.to_string()).or_default() += 1;
        for node in self
            .nodes
            .values()
            .filter(|n| n.ready && n.cluster == cluster)
        {
            ready += 1;
            if let Some(why) = placement::node_refusal(rules, &self.node_labels(node), &node.taints)
            {
                refuse(&why);
                continue;
            }
            // A DaemonSet pod's node affinity names its own node.
            if pod.node_name.as_ref().is_some_and(|own| *own != node.name) {
                refuse("node(s) didn't match Pod's node affinity/selector");
                continue;
            }
            let short_cpu = node.requested_cpu + cpu > node.allocatable_cpu;
            let short_memory = node.requested_memory + memory > node.allocatable_memory;
            if short_cpu || short_memory {
                // NodeResourcesFit names every resource the node lacks.
                if short_cpu {
                    refuse("Insufficient cpu");
                }
                if short_memory {
                    refuse("Insufficient memory");
                }
                continue;
            }
            // An EBS volume is in one zone: only its zone's nodes can attach it.
            if zone.as_ref().is_some_and(|z| *z != node.az) {
                refuse(VOLUME_CONFLICT);
                continue;
            }
            // LeastAllocated: the most room left after placing the pod; a
            // PreferNoSchedule taint the pod does not tolerate counts against.
            let mut score = f64::from(node.allocatable_cpu - node.requested_cpu - cpu)
                / f64::from(node.allocatable_cpu)
                + f64::from(node.allocatable_memory - node.requested_memory - memory)
                    / f64::from(node.allocatable_memory);
            if node.taints.iter().any(|t| {
                t.effect == TaintEffect::PreferNoSchedule
                    && !rules.tolerations.iter().any(|tol| tol.tolerates(t))
            }) {
                score -= 2.0;
            }
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, &node.name));
            }
        }
        // The Fargate pods' nodes are nodes to the scheduler too, each
        // refused for its taint.
        let fargate_nodes = self.fargate_nodes(&cluster);
        for _ in 0..fargate_nodes {
            refuse(FARGATE_TAINT);
        }
        let ec2_ready = ready;
        ready += fargate_nodes;
        if let Some((_, node)) = best {
            let node = node.to_string();
            if let Some(claim) = wait_for_consumer {
                // The VolumeBinding plugin's PreBind: the volume is made
                // for the chosen node's zone, or the pod waits.
                if self.provisioning_refused(&cluster, &namespace, &claim) {
                    let reason = format!(
                        "running PreBind plugin \"VolumeBinding\": binding volumes: provisioning failed for PVC \"{claim}\""
                    );
                    self.mark_pending(name, PendingKind::Volume, reason, ctx);
                    return false;
                }
                let az = self.nodes[&node].az.clone();
                self.bind_for_consumer(&cluster, &namespace, &claim, Some(az));
            }
            self.bind_node(name, &node, ctx);
            return true;
        }
        // The scheduler's FitError: "COUNT reason" strings, sorted.
        let fit_error = || {
            let mut parts: Vec<String> = refusals
                .iter()
                .map(|(why, count)| format!("{count} {why}"))
                .collect();
            parts.sort();
            if ready == 0 {
                NO_NODES.to_string()
            } else {
                format!("0/{ready} nodes are available: {}.", parts.join(", "))
            }
        };
        let (kind, reason) = if !has_groups && ec2_ready == 0 {
            // The scheduler's words, then why in EKS's terms (Dockyard's).
            let pod = &self.pods[name];
            let labels = &self.deployments[&pod.deployment].labels;
            let why = match self.matching_profile(&pod.cluster, &pod.namespace, labels) {
                Some(profile) => format!(
                    "Fargate profile {} matches now, but it was created after this pod, and EKS chooses Fargate only when a pod is created; the cluster has no EC2 nodes. Recreate the pods (kubectl rollout restart, or scale to 0 and back) so that new ones run on Fargate.",
                    profile.name
                ),
                None => format!(
                    "no Fargate profile matches namespace {} and labels {}, and the cluster has no EC2 nodes.",
                    pod.namespace,
                    labels_text(labels)
                ),
            };
            (
                PendingKind::NoFargateProfile,
                format!("{} [dockyard: {why}]", fit_error()),
            )
        } else if ec2_ready == 0 {
            (PendingKind::Capacity, fit_error())
        } else {
            // New nodes help only if the volume's zone is not the problem.
            let kind = if self.pods[name].node_name.is_some() {
                // A new node would not help a pod bound to its own.
                PendingKind::NodeBound
            } else if refusals.contains_key(VOLUME_CONFLICT)
                && refusals
                    .keys()
                    .all(|k| k == VOLUME_CONFLICT || k == FARGATE_TAINT)
            {
                PendingKind::Volume
            } else {
                PendingKind::Capacity
            };
            (kind, fit_error())
        };
        self.mark_pending(name, kind, reason, ctx);
        false
    }

    /// The nodes the cluster's Fargate pods registered, one each.
    fn fargate_nodes(&self, cluster: &str) -> u32 {
        self.pods
            .values()
            .filter(|p| p.cluster == cluster && matches!(p.placement, PodPlacement::Fargate { .. }))
            .count() as u32
    }

    pub(super) fn mark_pending(
        &mut self,
        name: &str,
        kind: PendingKind,
        reason: String,
        ctx: &mut Ctx,
    ) {
        let pod = self.pods.get_mut(name).expect("exists");
        if pod.pending.as_ref().map(|(_, r)| r) != Some(&reason) {
            pod.pending = Some((kind, reason.clone()));
            ctx.emit(What::PodPending {
                pod: name.into(),
                reason,
            });
        }
    }

    pub(super) fn bind_node(&mut self, name: &str, node: &str, ctx: &mut Ctx) {
        let pod = self.pods.get_mut(name).expect("exists");
        pod.pending = None;
        pod.scheduled_at = Some(ctx.now);
        pod.placement = PodPlacement::Node { node: node.into() };
        let (cpu, memory) = (pod.cpu, pod.memory);
        let n = self.nodes.get_mut(node).expect("exists");
        n.requested_cpu += cpu;
        n.requested_memory += memory;
        n.pods.insert(name.into());
        let place = format!("{node} ({})", n.az);
        self.set_phase(name, PodPhase::ContainerCreating);
        ctx.emit(What::PodScheduled {
            pod: name.into(),
            on: place,
        });
        ctx.after(
            seconds(ctx.params.container_start_seconds),
            EksHappening::PodRunning(name.into()),
        );
    }

    pub(super) fn bind_fargate(
        &mut self,
        name: &str,
        profile: &str,
        cpu_units: u32,
        memory_mib: u32,
        ctx: &mut Ctx,
    ) {
        let pod = self.pods.get_mut(name).expect("exists");
        pod.pending = None;
        pod.scheduled_at = Some(ctx.now);
        pod.placement = PodPlacement::Fargate {
            cpu_units,
            memory_mib,
        };
        let rate = (f64::from(cpu_units) / 1024.0 * FARGATE_PER_VCPU_HOUR
            + f64::from(memory_mib) / 1024.0 * FARGATE_PER_GB_HOUR)
            / MS_PER_HOUR;
        pod.billing_rate = rate;
        ctx.cost_delta += rate;
        let (cpu, memory) = (pod.cpu, pod.memory);
        self.set_phase(name, PodPhase::ContainerCreating);
        ctx.emit(What::PodScheduled {
            pod: name.into(),
            on: format!(
                "its own Fargate micro-VM of {} (profile {profile}; {cpu}m + {memory} MiB requested, +256 MiB, rounded up)",
                size_text(cpu_units, memory_mib)
            ),
        });
        ctx.after(
            seconds(ctx.params.fargate_provisioning_seconds + ctx.params.container_start_seconds),
            EksHappening::PodRunning(name.into()),
        );
    }

    /// The scheduler tries its unschedulable pods again when the cluster
    /// changes (a node joins, a pod goes, a profile appears).
    pub(super) fn retry_pending(&mut self, ctx: &mut Ctx) {
        let waiting: Vec<String> = self.pending.iter().cloned().collect();
        for name in waiting {
            self.schedule_pod(&name, ctx);
        }
    }
}
