//! Availability Zones: losing one (its instances, tasks and zonal data go)
//! and restoring it.

use super::*;

impl World {
    /// `LoseAz`.
    pub(super) fn lose_az(&mut self, az: String, out: &mut Vec<Event>) -> Result<(), Rejection> {
        self.need_az(&az)?;
        self.lost_azs.insert(az.clone());
        self.emit(out, What::AvailabilityZoneLost { az: az.clone() });
        let lost = self.files.on_az_lost(&az);
        self.report_lost(lost, out);
        let doomed: Vec<String> = self
            .instances
            .values()
            .filter(|i| i.az == az)
            .map(|i| i.id.clone())
            .collect();
        for id in doomed {
            self.terminate_instance(&id, &format!("Availability Zone {az} was lost"), out);
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
            self.lose_task(&id, &format!("Availability Zone {az} was lost."), out);
        }
        Ok(())
    }

    /// `RestoreAz`.
    pub(super) fn restore_az(&mut self, az: String, out: &mut Vec<Event>) -> Result<(), Rejection> {
        if self.lost_azs.remove(&az) {
            self.emit(out, What::AvailabilityZoneRestored { az });
            let services: Vec<String> = self.services.keys().cloned().collect();
            for service in services {
                self.reconcile(&service, out);
            }
        }
        Ok(())
    }

    pub(super) fn need_az(&self, az: &str) -> Result<(), Rejection> {
        if self.azs.iter().any(|a| a == az) {
            Ok(())
        } else {
            Err(Rejection::new(
                "no-az",
                format!(
                    "{az} is not one of this Region's Availability Zones ({})",
                    self.azs.join(", ")
                ),
            ))
        }
    }
}
