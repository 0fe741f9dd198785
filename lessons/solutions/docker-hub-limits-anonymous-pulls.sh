# Pull the image from ECR Public instead of Docker Hub's anonymous,
# rate-limited pulls: a new revision and a rolling deployment.
sleep 180
aws ecs register-task-definition --family web --requires-compatibilities FARGATE \
    --network-mode awsvpc --cpu 256 --memory 512 \
    --container-definitions '[{"name": "web", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": true, "portMappings": [{"containerPort": 80}]}]' \
    --query 'taskDefinition.taskDefinitionArn'
aws ecs update-service --cluster shop --service web --task-definition web:2 \
    --query 'service.taskDefinition'
