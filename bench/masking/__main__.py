import sys

from bench.masking.run import main

sys.exit(main())
