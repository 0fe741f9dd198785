//! Availability Zones: losing one (its instances, tasks and zonal data go)
//! and restoring it. The zones are the world's; what a loss does to ECS is
//! the ECS sub-machine's.

use super::*;

impl World {
    /// `LoseAz`.
    pub(super) fn lose_az(&mut self, az: String, out: &mut Vec<Event>) -> Result<(), Rejection> {
        self.ecs.need_az(&self.env(), &az)?;
        self.account.lost_azs.insert(az.clone());
        self.with_ecs(|ecs, cx| ecs.zone_lost(cx, &az, out));
        self.with_eks(out, |eks, ctx| {
            eks.zone_lost(&az, ctx);
            Ok(())
        })?;
        Ok(())
    }

    /// `RestoreAz`.
    pub(super) fn restore_az(&mut self, az: String, out: &mut Vec<Event>) -> Result<(), Rejection> {
        if self.account.lost_azs.remove(&az) {
            self.with_ecs(|ecs, cx| ecs.zone_restored(cx, az, out));
            self.with_eks(out, |eks, ctx| {
                eks.zone_restored(ctx);
                Ok(())
            })?;
        }
        Ok(())
    }
}

impl Ecs {
    /// A zone is gone: its zonal data, its instances and the Fargate tasks
    /// in it.
    fn zone_lost(&mut self, cx: &mut Cx<'_>, az: &str, out: &mut Vec<Event>) {
        cx.emit(out, What::AvailabilityZoneLost { az: az.to_string() });
        let lost = self.files.on_az_lost(az);
        self.report_lost(cx, lost, out);
        let doomed: Vec<String> = self
            .instances
            .values()
            .filter(|i| i.az == az)
            .map(|i| i.id.clone())
            .collect();
        for id in doomed {
            self.terminate_instance(cx, &id, &format!("Availability Zone {az} was lost"), out);
        }
        let fargate: Vec<String> = self
            .tasks
            .values()
            .filter(|t| {
                matches!(&t.placement, Placement::Fargate { az: a, .. } if *a == az)
                    && t.state != TaskState::Stopped
            })
            .map(|t| t.id.clone())
            .collect();
        for id in fargate {
            self.lose_task(cx, &id, &format!("Availability Zone {az} was lost."), out);
        }
    }

    /// A zone is back: every service is reconciled, so that the scheduler
    /// places there again.
    fn zone_restored(&mut self, cx: &mut Cx<'_>, az: String, out: &mut Vec<Event>) {
        cx.emit(out, What::AvailabilityZoneRestored { az });
        let services: Vec<String> = self.services.keys().cloned().collect();
        for service in services {
            self.reconcile(cx, &service, out);
        }
    }

    pub(super) fn need_az(&self, cx: &Env<'_>, az: &str) -> Result<(), Rejection> {
        if cx.azs.iter().any(|a| a == az) {
            Ok(())
        } else {
            Err(Rejection::new(
                "no-az",
                format!(
                    "{az} is not one of this Region's Availability Zones ({})",
                    cx.azs.join(", ")
                ),
            ))
        }
    }
}
