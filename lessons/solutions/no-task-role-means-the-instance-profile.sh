# Without a task role, the SDK in the container falls back to the
# instance profile. Give the task its own role instead.
aws iam get-role --role-name reportsTaskRole --query 'Role.Arn'
aws ecs register-task-definition --family report --requires-compatibilities EC2 \
    --network-mode bridge \
    --task-role-arn arn:aws:iam::111122223333:role/reportsTaskRole \
    --container-definitions '[{"name": "app", "image": "public.ecr.aws/docker/library/python:3.12", "memory": 512, "essential": true}]' \
    --query 'taskDefinition.revision'
aws ecs wait services-stable --cluster reports --services report
aws ecs update-service --cluster reports --service report --task-definition report:2 \
    --query 'service.taskDefinition'
