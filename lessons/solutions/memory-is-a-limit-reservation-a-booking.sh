# memory is the hard limit (the container is killed above it);
# memoryReservation is what the task books on the instance.
sleep 180
aws ecs register-task-definition --family api --container-definitions '[
  {"name": "app", "image": "python:3.12", "cpu": 256, "memoryReservation": 256, "memory": 768, "essential": true},
  {"name": "log-router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable", "memoryReservation": 50, "essential": false}
]' --query 'taskDefinition.revision'
aws ecs update-service --cluster app --service api --task-definition api:2 --query 'service.taskDefinition'
aws ecs wait services-stable --cluster app --services api
aws ecs list-tasks --cluster app --service-name api
# The application's memory use is the world's, not an AWS call:
dockyard use-memory --task t-2 --container app --mib 600
