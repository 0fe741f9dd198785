# Stop the service's task; the service scheduler starts a replacement.
aws ecs list-tasks --cluster files --service-name reporter
sleep 120
aws ecs stop-task --cluster files --task t-1 --reason "Stopped by the learner"
aws ecs wait services-stable --cluster files --services reporter
aws ecs list-tasks --cluster files --service-name reporter
