# distinctInstance is a constraint: no two of the service's tasks share
# an instance, whatever else happens.
aws ecs create-service --cluster prod --service-name api --task-definition api \
    --desired-count 8 --launch-type EC2 --placement-constraints type=distinctInstance
