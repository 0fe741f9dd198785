# Three 1024 MiB tasks fill the 3840 MiB a t3.medium registers; the other
# two wait. A service on EC2 capacity never adds instances: add one (what
# run-instances with the ECS-optimized AMI and ECS_CLUSTER=shop does).
aws ecs describe-services --cluster shop --services web \
    --query 'services[0].[desiredCount,runningCount]' --output text
dockyard launch-instances --cluster shop --instance-type t3.medium --az us-east-1b
aws ecs wait services-stable --cluster shop --services web
