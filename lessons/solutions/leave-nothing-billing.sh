# A service keeps its desired count: scale it to 0 rather than stopping its
# tasks. A task run by hand runs until it is stopped. An idle instance
# bills as much as a busy one.
aws ecs update-service --cluster lab --service web --desired-count 0 --query 'service.desiredCount'
aws ecs stop-task --cluster lab --task t-3 --query 'task.desiredStatus'
dockyard terminate-instance --instance i-1
