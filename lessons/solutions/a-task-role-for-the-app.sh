# The application's AWS calls are made with the task role; the execution
# role pulls the image and ships the logs. A new revision with the reader
# role as the task role, and the execution role kept, then a deployment.
aws ecs wait services-stable --cluster reports --services dashboard
aws ecs register-task-definition --cli-input-json '{
  "family": "dashboard",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc", "cpu": "256", "memory": "512",
  "taskRoleArn": "arn:aws:iam::111122223333:role/reportsReaderRole",
  "executionRoleArn": "arn:aws:iam::111122223333:role/reportsExecutionRole",
  "containerDefinitions": [{
    "name": "app",
    "image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/reports:1.4",
    "essential": true,
    "logConfiguration": {"logDriver": "awslogs", "options": {
      "awslogs-group": "/ecs/dashboard", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app"}}
  }]
}' --query 'taskDefinition.taskDefinitionArn'
aws ecs update-service --cluster reports --service dashboard --task-definition dashboard:2 \
    --query 'service.deployments[].[status,taskDefinition]' --output text
aws ecs wait services-stable --cluster reports --services dashboard
