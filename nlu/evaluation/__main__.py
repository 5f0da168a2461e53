import sys

from nlu.evaluation.run import main

sys.exit(main())
